/**
 * A generator file hook: calc.isl (an ILU-ISL-like interface) makes the modules `calc` (client stubs) and
 * `calc__skel` (server skeleton), from a directory and from a package inside a zip archive; the output is
 * generated once and cached in __pycache__. Run: node --import tsx examples/isl-generator.ts
 */
import { readFileSync } from "node:fs";
import yazl from "yazl";
import { createImportSystem, generators, islGenerator, MemFileSystem, type Module } from "../src/index.js";

const isl = readFileSync(new URL("isl/calc.isl", import.meta.url));

/** A deflated zip archive of `files`. */
async function zipOf(files: Record<string, Uint8Array | string>): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files)) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const fs = MemFileSystem.fromFiles({
  "/srv/lib/calc.isl": isl,
  "/srv/apps.zip": await zipOf({ "services/__init__.py": "", "services/calc.isl": isl }),
});
const system = createImportSystem({ fs, plugins: [generators([islGenerator])] });
system.sys.dontWriteBytecode = false;
system.path.push("/srv/lib", "/srv/apps.zip");

const show = (m: Module) => `${m.name} from ${m.getAttr("__file__")} [${m.spec?.loaderKind}]`;
const calc = await system.importModule("calc");
const skel = await system.importModule("calc__skel");
console.log(show(calc));
console.log(show(skel));
console.log("INTERFACE =", String(calc.getAttr("INTERFACE")), "Version =", String(calc.getAttr("Version")));
console.log(
  "cached:",
  fs
    .readdir("/srv/lib/__pycache__")
    ?.map((e) => e.name)
    .join(", "),
);

const remote = await system.importModule("services.calc__skel");
console.log(show(remote));
