/**
 * The module server of examples/module-server.ts: a path hook for `mem://` entries. Which entries it
 * accepts and declines, the specs its finder returns (modules, packages, namespace portions), and the
 * path-importer cache through a whole system — checked against what CPython 3.11.7 and 3.10.13 print for
 * the same hook written in Python (finder cached per entry, None for declined entries, invalidate_caches
 * dropping None and, from 3.11, non-absolute entries).
 */
import { describe, expect, it } from "vitest";
import {
  ModuleServer,
  ModuleServerFinder,
  ModuleServerLoader,
  ModuleServerPathHook,
  moduleServerPlugin,
} from "../../examples/module-server.js";
import { createImportSystem } from "../../src/composition-root.js";
import { ModuleNotFoundError } from "../../src/core/errors.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../../src/core/import-system.js";
import type { CompiledCode, Executor } from "../../src/core/interfaces.js";
import type { Module } from "../../src/core/module.js";
import { NamespacePath } from "../../src/core/namespace-path.js";
import { PyList } from "../../src/core/values.js";
import type { ImportPlugin } from "../../src/plugins/plugin.js";

const PLUGINS = {
  greet: 'MESSAGE = "hello"\n',
  "tools/__init__": "from . import fmt\n",
  "tools/fmt": 'STYLE = "bold"\n',
  "tools/deep/x": "X = 1\n",
  "ns/part": "P = 1\n",
};

const server = () => new ModuleServer().serve("plugins", PLUGINS);

function world(options: { profile?: string; plugins?: readonly ImportPlugin[]; server?: ModuleServer } = {}) {
  const s = options.server ?? server();
  const system = createImportSystem({
    fs: MemFileSystem.fromFiles({ "/site/app.py": "import greet\nfrom tools.fmt import STYLE\n" }),
    ...(options.profile && { profile: options.profile }),
    plugins: options.plugins ?? [moduleServerPlugin(s)],
  });
  system.path.push("/site", "mem://nowhere", "/site/missing", "mem://plugins");
  return { server: s, system };
}

/** `sys.path_importer_cache` as CPython's transcript prints it: entry → finder type or None. */
const cache = (system: ImportSystem) =>
  [...system.pathImporterCache].map(([entry, finder]) => `${entry}: ${finder?.pyType ?? "None"}`);

describe("ModuleServerPathHook: which entries it takes", () => {
  const hook = new ModuleServerPathHook(server());

  it.each([
    "mem://plugins",
    "mem://plugins/",
    "mem://plugins/tools",
    "mem://plugins/tools/deep",
    "mem://plugins/ns",
  ])("accepts %s", (entry) => {
    expect(hook.createFinder(entry)).toBeInstanceOf(ModuleServerFinder);
  });

  it.each([
    ["a directory", "/site"],
    ["the current directory", ""],
    ["another scheme", "http://plugins"],
    ["an unknown site", "mem://nowhere"],
    ["a directory the site does not have", "mem://plugins/nope"],
    ["a module, not a directory", "mem://plugins/greet"],
    ["no site at all", "mem://"],
  ])("declines %s (%s)", (_label, entry) => {
    expect(hook.createFinder(entry)).toBeNull();
  });

  it("is named as CPython names hook functions, and the finder's location is normalised", () => {
    expect(hook.name).toBe("ModuleServerFinder.path_hook");
    expect(hook.createFinder("mem://plugins/")?.location).toBe("mem://plugins");
    expect(hook.createFinder("mem://plugins/tools/")?.location).toBe("mem://plugins/tools");
  });
});

describe("ModuleServerFinder: specs, as FileFinder makes them", () => {
  const hook = new ModuleServerPathHook(server());
  const root = hook.createFinder("mem://plugins")!;
  const tools = hook.createFinder("mem://plugins/tools")!;

  it("a module: a loader, its origin, no search locations", () => {
    const spec = root.findSpec("greet")!;
    expect(spec).toMatchObject({ name: "greet", origin: "mem://plugins/greet", hasLocation: false });
    expect(spec.loader).toBeInstanceOf(ModuleServerLoader);
    expect(spec.submoduleSearchLocations).toBeNull();
    expect(spec.loader?.getSource?.("greet")).toBe(PLUGINS.greet);
    expect(spec.loader?.isPackage?.("greet")).toBe(false);
  });

  it("a package: origin at its __init__, submodules searched at mem://SITE/pkg", () => {
    const spec = root.findSpec("tools")!;
    expect(spec.origin).toBe("mem://plugins/tools/__init__");
    expect(spec.submoduleSearchLocations).toEqual(new PyList(["mem://plugins/tools"]));
    expect(spec.loader?.isPackage?.("tools")).toBe(true);
    expect(spec.parent).toBe("tools");
  });

  it("a submodule, by its last component only (as FileFinder: the path entry decides the package)", () => {
    expect(tools.findSpec("tools.fmt")?.origin).toBe("mem://plugins/tools/fmt");
    expect(tools.findSpec("anything.fmt")?.origin).toBe("mem://plugins/tools/fmt");
    expect(root.findSpec("tools.fmt")).toBeNull();
  });

  it("a directory without __init__: a namespace portion (no loader, its location)", () => {
    for (const [finder, name, location] of [
      [root, "ns", "mem://plugins/ns"],
      [tools, "tools.deep", "mem://plugins/tools/deep"],
    ] as const) {
      const spec = finder.findSpec(name)!;
      expect(spec.loader).toBeNull();
      expect(spec.origin).toBeNull();
      expect(spec.submoduleSearchLocations).toEqual(new PyList([location]));
    }
  });

  it("nothing: null (the path importer asks the next entry)", () => {
    expect(root.findSpec("nope")).toBeNull();
    expect(root.findSpec("fmt")).toBeNull();
  });

  it("keeps the listing it was made with until invalidateCaches", () => {
    const s = server();
    const finder = new ModuleServerPathHook(s).createFinder("mem://plugins")!;
    s.publish("plugins", "late", "X = 1\n");
    expect(finder.findSpec("late")).toBeNull();
    finder.invalidateCaches();
    expect(finder.findSpec("late")?.origin).toBe("mem://plugins/late");
  });
});

describe("the module server in a system: imports and sys.path_importer_cache", () => {
  it("imports modules, packages and submodules from a mem:// entry on sys.path", async () => {
    const { system } = world();
    const app = await system.importModule("app");
    expect(app.getAttr("STYLE")).toBe("bold");
    const greet = system.modules.get("greet")!;
    expect(greet.getAttr("MESSAGE")).toBe("hello");
    expect(greet.spec?.loaderKind).toBe("ModuleServerLoader");
    expect(greet.has("__file__")).toBe(false); // no location: CPython's spec_from_loader sets no __file__
    const tools = system.modules.get("tools")!;
    expect(tools.getAttr("__path__")).toEqual(new PyList(["mem://plugins/tools"]));
    expect(tools.getAttr("fmt")).toBe(system.modules.get("tools.fmt"));
  });

  it("caches the finder per entry and None for entries nobody accepts, as CPython 3.11 does", async () => {
    const { system } = world();
    await system.importModule("app");
    // CPython 3.11.7, the same hook in Python, same sys.path:
    expect(cache(system)).toEqual([
      "/site: FileFinder",
      "mem://nowhere: None",
      "/site/missing: None",
      "mem://plugins: ModuleServerFinder",
      "mem://plugins/tools: ModuleServerFinder",
    ]);
  });

  it("asks the hook once per entry: later lookups hit the cache", async () => {
    const s = server();
    const made: string[] = [];
    class CountingHook extends ModuleServerPathHook {
      override createFinder(entry: string) {
        made.push(entry);
        return super.createFinder(entry);
      }
    }
    const { system } = world({
      server: s,
      plugins: [
        { name: "counting", pathHooks: (hooks) => hooks.add("module-server", new CountingHook(s), "first") },
      ],
    });
    await system.importModule("greet");
    await system.importModule("tools");
    await system.importModule("tools.deep.x");
    expect(made).toEqual([
      "/site",
      "mem://nowhere",
      "/site/missing",
      "mem://plugins",
      "mem://plugins/tools",
      "mem://plugins/tools/deep",
    ]);
  });

  it("invalidate_caches (3.11+): drops None and non-absolute entries; the next walk makes new finders", async () => {
    const { server: s, system } = world();
    await system.importModule("app");
    const before = system.pathImporterCache.get("mem://plugins");
    s.publish("plugins", "late", "X = 1\n");
    const error = await system.importModule("late").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect((error as Error).message).toBe("No module named 'late'");

    system.invalidateCaches();
    expect(cache(system)).toEqual(["/site: FileFinder"]);
    const late = await system.importModule("late");
    expect(late.getAttr("X")).toBe(1n);
    expect(cache(system)).toEqual([
      "/site: FileFinder",
      "mem://nowhere: None",
      "/site/missing: None",
      "mem://plugins: ModuleServerFinder",
    ]);
    expect(system.pathImporterCache.get("mem://plugins")).not.toBe(before);
  });

  // CPython 3.8–3.10 drop only None entries and call invalidate_caches() on every other finder (3.10.13
  // prints the cache below, the finder kept); 3.11 also drops non-absolute entries.
  it("invalidate_caches (3.8–3.10): keeps mem:// finders and asks them to refresh", async () => {
    const { server: s, system } = world({ profile: "cpython-3.10" });
    await system.importModule("app");
    const before = system.pathImporterCache.get("mem://plugins");
    s.publish("plugins", "late", "X = 1\n");
    system.invalidateCaches();
    expect(cache(system)).toEqual([
      "/site: FileFinder",
      "mem://plugins: ModuleServerFinder",
      "mem://plugins/tools: ModuleServerFinder",
    ]);
    expect(system.pathImporterCache.get("mem://plugins")).toBe(before);
    expect((await system.importModule("late")).getAttr("X")).toBe(1n);
  });

  it("namespace portions from two sites make one namespace package", async () => {
    const s = new ModuleServer().serve("a", { "ns/x": "X = 1\n" }).serve("b", { "ns/y": "Y = 2\n" });
    const system = createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [moduleServerPlugin(s)] });
    system.path.push("mem://a", "mem://b");
    const ns = await system.importModule("ns");
    expect(ns.spec?.loaderKind).toBe("NamespaceLoader");
    expect(ns.spec?.origin).toBeNull();
    const path = ns.getAttr("__path__");
    expect(path).toBeInstanceOf(NamespacePath);
    expect([...(path as NamespacePath).current]).toEqual(["mem://a/ns", "mem://b/ns"]);
    expect((await system.importModule("ns.x")).getAttr("X")).toBe(1n);
    expect((await system.importModule("ns.y")).getAttr("Y")).toBe(2n);
  });

  it("works wherever the plugin places the hook: zipimporter and FileFinder decline mem:// entries", async () => {
    for (const where of ["last", { before: "directory" }, { after: "zip" }] as const) {
      const s = server();
      const { system } = world({ server: s, plugins: [moduleServerPlugin(s, where)] });
      expect((await system.importModule("app")).getAttr("STYLE")).toBe("bold");
      expect(system.pathImporterCache.get("mem://plugins")?.pyType).toBe("ModuleServerFinder");
    }
  });

  it("runs served source on the system's executor, named by its origin", async () => {
    const compiled: string[] = [];
    const recording: ImportPlugin = {
      name: "record",
      executor: (inner): Executor => ({
        compile(source: string, filename: string): CompiledCode {
          compiled.push(filename);
          return inner.compile(source, filename);
        },
        exec: (code, module: Module, ctx) => inner.exec(code, module, ctx),
      }),
    };
    const s = server();
    const { system } = world({ server: s, plugins: [recording, moduleServerPlugin(s)] });
    await system.importModule("app");
    expect(compiled).toEqual([
      "/site/app.py",
      "mem://plugins/greet",
      "mem://plugins/tools/__init__",
      "mem://plugins/tools/fmt",
    ]);
  });

  it("a module whose source fails leaves sys.modules as it was", async () => {
    const s = new ModuleServer().serve("plugins", { bad: "import nothing_here\n" });
    const system = createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [moduleServerPlugin(s)] });
    system.path.push("mem://plugins");
    const error = await system.importModule("bad").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect((error as Error).message).toBe("No module named 'nothing_here'");
    expect(system.modules.has("bad")).toBe(false);
  });
});
