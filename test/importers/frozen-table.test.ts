import { describe, expect, it } from "vitest";
import { createImportSystem } from "../../src/composition-root.js";
import { ImportError } from "../../src/core/errors.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { scenarioCodeFormat } from "../../src/exec/code-format.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";
import type { FrozenModuleDefinition } from "../../src/importers/frozen-table.js";
import { FrozenTable } from "../../src/importers/frozen-table.js";
import { frozenModules } from "../../src/plugins/frozen-modules.js";
import { PluginError } from "../../src/plugins/plugin.js";

const executor = new ScenarioExecutor();
const codeOf = (source: string, filename: string) =>
  Buffer.from(scenarioCodeFormat.encode(executor.compile(source, filename))).toString("base64");

const MODULES: FrozenModuleDefinition[] = [
  {
    name: "app",
    isPackage: true,
    filename: "/src/app/__init__.py",
    path: ["/src/app"],
    code: {
      kind: "executor",
      format: "importkit-ast",
      formatVersion: scenarioCodeFormat.version,
      filename: "/src/app/__init__.py",
      base64: codeOf("from . import conf\nNAME = conf.NAME\n", "/src/app/__init__.py"),
    },
  },
  { name: "app.conf", code: { kind: "source", source: "NAME = 'conf'\n", filename: "<frozen app.conf>" } },
];

function system(modules: readonly FrozenModuleDefinition[], profile?: string) {
  return createImportSystem({
    fs: MemFileSystem.fromFiles({ "/site/app/__init__.py": "NAME = 'from disk'\n" }),
    plugins: [frozenModules(modules)],
    ...(profile && { profile }),
  });
}

describe("frozen table", () => {
  it("the frozen importer serves registered modules and runs their code, before the path", async () => {
    const s = system(MODULES);
    s.path.push("/site");
    await s.importModule("app");
    const app = s.modules.get("app")!;
    expect(app.dict.get("NAME")).toBe("conf");
    expect(app.spec).toMatchObject({
      origin: "frozen",
      hasLocation: false,
      loaderState: { filename: "/src/app/__init__.py", origname: "app" },
    });
    expect(app.spec?.loaderKind).toBe("FrozenImporter");
    expect(app.file).toBe("/src/app/__init__.py");
    expect(app.path).toMatchObject({ items: ["/src/app"] });
    expect(s.modules.get("app.conf")!.file).toBeNull();
  });

  it("3.8–3.10 profiles: the older frozen spec (no loader state, no __file__)", async () => {
    const s = system(MODULES, "cpython-3.10");
    await s.importModule("app");
    const app = s.modules.get("app")!;
    expect(app.spec?.loaderState).toBeUndefined();
    expect(app.file).toBeNull();
    expect(app.dict.get("NAME")).toBe("conf");
  });

  it("a registered module is found before a frozen stdlib module of the same name; bootstrap ones are refused", async () => {
    const s = system([
      { name: "__hello__", code: { kind: "source", source: "MINE = True\n", filename: "<mine>" } },
    ]);
    await s.importModule("__hello__");
    expect(s.modules.get("__hello__")!.dict.get("MINE")).toBe(true);
    expect(() => new FrozenTable().register([{ ...MODULES[1]!, name: "zipimport" }])).toThrow(
      "frozen module 'zipimport' is a bootstrap module and cannot be replaced",
    );
    expect(() => system([MODULES[1]!, MODULES[1]!])).toThrow(PluginError);
    expect(() => new FrozenTable().register([{ ...MODULES[1]!, name: "a..b" }])).toThrow(
      "is not a module name",
    );
  });

  it("code in another format, or damaged, is an ImportError naming the module; nothing stays registered", async () => {
    const other = system([
      {
        ...MODULES[0]!,
        code: { ...(MODULES[0]!.code as object), formatVersion: 9 },
      } as FrozenModuleDefinition,
    ]);
    await expect(other.importModule("app")).rejects.toThrow(
      `frozen module 'app' holds importkit-ast v9 code; the executor reads importkit-ast v${scenarioCodeFormat.version}`,
    );
    expect(other.modules.has("app")).toBe(false);
    const damaged = system([
      { ...MODULES[0]!, code: { ...(MODULES[0]!.code as object), base64: "e30=" } } as FrozenModuleDefinition,
    ]);
    const error = await damaged.importModule("app").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toMatch(/^frozen module 'app' has bad code: /);
    expect(damaged.modules.has("app")).toBe(false);
  });
});
