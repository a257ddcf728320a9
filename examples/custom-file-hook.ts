/**
 * A custom file hook: `settings.json` anywhere on the path becomes an importable module `settings`
 * whose attributes are the JSON object's keys. Run: node --import tsx examples/custom-file-hook.ts
 */
import {
  createContainer,
  type FileHook,
  type FileHookRegistry,
  type FileSystem,
  type ImportSystem,
  type Loader,
  MemFileSystem,
  type Module,
  PyDict,
  PyList,
  type PyValue,
  tokens,
} from "../src/index.js";

/** Turn parsed JSON into Python values (ints become Python ints, objects dicts, arrays lists). */
function toPython(value: unknown): PyValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return new PyList(value.map(toPython));
  const dict = new PyDict();
  for (const [k, v] of Object.entries(value as object)) dict.set(k, toPython(v));
  return dict;
}

class JsonLoader implements Loader {
  readonly pyType = "JsonLoader";
  constructor(
    private readonly path: string,
    private readonly fs: FileSystem,
  ) {}
  execModule(module: Module): void {
    const data: unknown = JSON.parse(new TextDecoder().decode(this.fs.readFile(this.path)));
    for (const [key, value] of Object.entries(data as object)) module.setAttr(key, toPython(value));
  }
}

const fs = MemFileSystem.fromFiles({
  "/site/settings.json": '{"DEBUG": true, "WORKERS": 4, "HOSTS": ["a", "b"]}',
  "/site/app.py": "from settings import WORKERS, HOSTS\n",
});
const container = createContainer({ fs });
const jsonHook: FileHook = {
  name: "json",
  suffixes: [".json"],
  createLoader: (_fullname, path) => new JsonLoader(path, fs),
};
// After source files, before bytecode: a `settings.py` would win over `settings.json`.
container.resolve<FileHookRegistry>(tokens.FILE_HOOKS).addBefore("bytecode", jsonHook);
const system = container.resolve<ImportSystem>(tokens.IMPORT_SYSTEM);
system.path.push("/site");

const app = await system.importModule("app");
const settings = system.modules.get("settings")!;
console.log(String(app.getAttr("WORKERS")), settings.spec?.origin, settings.spec?.loaderKind);
