/** restrictedImports: allowlisted compiled modules, everything else from source only. */
import { describe, expect, it } from "vitest";
import { cacheFromSource } from "../../src/core/cache-path.js";
import { encodeImportkitPyc } from "../../src/hooks/importkit-pyc.js";
import { mtimeSeconds } from "../../src/hooks/pyc-validation.js";
import {
  createContainer,
  createImportSystem,
  type FileHookRegistry,
  ImportError,
  type ImportPlugin,
  loadProfile,
  MemFileSystem,
  type Module,
  ModuleNotFoundError,
  tokens,
} from "../../src/index.js";
import { auditImports, ignoreLonePyc, restrictedImports } from "../../src/policies/index.js";
import { ALONE_PYC, auditLine, FRESH_PYC, LEGACY_PYC, notesDuring, systemOver, zipOf } from "./support.js";

const EXT = ".cpython-311-x86_64-linux-gnu.so";
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);
const policy = () => restrictedImports({ builtins: ["sys", "os"], extensions: ["_speedups", "pkg._accel"] });

const loaderOf = (module: Module) => module.spec?.loaderKind;
const originOf = (module: Module) => module.spec?.origin;

async function importError(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe("restrictedImports: built-in and frozen modules", () => {
  it("serves allowlisted built-in and frozen modules as CPython does", async () => {
    const system = systemOver({}, [policy()]);
    expect(loaderOf(await system.importModule("sys"))).toBe("BuiltinImporter");
    const os = await system.importModule("os");
    expect([loaderOf(os), originOf(os)]).toEqual(["FrozenImporter", "frozen"]);
  });

  it("refuses the others: ModuleNotFoundError when nothing else has the name", async () => {
    const system = systemOver({}, [policy()]);
    for (const name of ["posix", "time", "zipimport", "__hello__"]) {
      const error = await importError(system.importModule(name));
      expect(error).toBeInstanceOf(ModuleNotFoundError);
      expect(error.message).toBe(`No module named '${name}'`);
      expect(system.modules.has(name)).toBe(false);
    }
  });

  it("lets the search go on: a .py of a refused name on the path is imported from source", async () => {
    const system = systemOver({ "/site/time.py": "FAKE = 1\n", "/site/stat.py": "FAKE = 2\n" }, [policy()]);
    const time = await system.importModule("time");
    const stat = await system.importModule("stat");
    expect([loaderOf(time), originOf(time), time.getAttr("FAKE")]).toEqual([
      "SourceFileLoader",
      "/site/time.py",
      1n,
    ]);
    expect([loaderOf(stat), originOf(stat)]).toEqual(["SourceFileLoader", "/site/stat.py"]);
    // Without the policy the built-in and the frozen module win over the path.
    const plain = systemOver({ "/site/time.py": "FAKE = 1\n", "/site/stat.py": "FAKE = 2\n" });
    expect(loaderOf(await plain.importModule("time"))).toBe("BuiltinImporter");
    expect(loaderOf(await plain.importModule("stat"))).toBe("FrozenImporter");
  });

  it("notes each refusal while tracing", async () => {
    const system = systemOver({}, [policy()]);
    expect(await notesDuring(system, () => system.importModule("posix"))).toEqual([
      "restrictedImports: built-in module 'posix' is not on the allowlist",
    ]);
    expect(await notesDuring(system, () => system.importModule("zipimport"))).toEqual([
      "restrictedImports: frozen module 'zipimport' is not on the allowlist",
    ]);
    expect(await notesDuring(system, () => system.importModule("nowhere"))).toEqual([]);
  });
});

describe("restrictedImports: extension modules", () => {
  const world = {
    [`/site/_speedups${EXT}`]: ELF,
    [`/site/_fast${EXT}`]: ELF,
    "/site/_fast.py": "PURE = True\n",
    "/site/_native.abi3.so": ELF,
    "/site/pkg/__init__.py": "",
    [`/site/pkg/_accel${EXT}`]: ELF,
    [`/site/pkg/_other${EXT}`]: ELF,
    [`/site/accel/__init__${EXT}`]: ELF,
    "/site/accel/__init__.py": "PURE = True\n",
    [`/site/nspkg/__init__${EXT}`]: ELF,
    "/site/nspkg/mod.py": "",
  };

  it("loads allowlisted extension modules, by full name", async () => {
    const system = systemOver(world, [policy()]);
    const speedups = await system.importModule("_speedups");
    expect([loaderOf(speedups), originOf(speedups)]).toEqual([
      "ExtensionFileLoader",
      `/site/_speedups${EXT}`,
    ]);
    expect(loaderOf(await system.importModule("pkg._accel"))).toBe("ExtensionFileLoader");
  });

  it("searches on for the others, in the same directory first", async () => {
    const system = systemOver(world, [policy()]);
    const fast = await system.importModule("_fast");
    expect([loaderOf(fast), originOf(fast), fast.getAttr("PURE")]).toEqual([
      "SourceFileLoader",
      "/site/_fast.py",
      true,
    ]);
    // A package whose __init__ is an extension module: its __init__.py, else a namespace package.
    const accel = await system.importModule("accel");
    expect([loaderOf(accel), originOf(accel)]).toEqual(["SourceFileLoader", "/site/accel/__init__.py"]);
    const ns = await system.importModule("nspkg.mod");
    expect(loaderOf(system.modules.get("nspkg")!)).toBe("NamespaceLoader");
    expect(originOf(ns)).toBe("/site/nspkg/mod.py");
    for (const name of ["_native", "pkg._other"]) {
      expect(await importError(system.importModule(name))).toBeInstanceOf(ModuleNotFoundError);
      expect(system.modules.has(name)).toBe(false);
    }
    // The same finders then serve an allowed name from its extension file (their caches keep the searches apart).
    expect(loaderOf(await system.importModule("_speedups"))).toBe("ExtensionFileLoader");
  });

  it("without the policy the extension modules win", async () => {
    const system = systemOver(world);
    expect(loaderOf(await system.importModule("_fast"))).toBe("ExtensionFileLoader");
    expect(loaderOf(await system.importModule("accel"))).toBe("ExtensionFileLoader");
    expect(loaderOf(await system.importModule("nspkg"))).toBe("ExtensionFileLoader");
  });

  it("notes each refused extension file while tracing", async () => {
    const system = systemOver(world, [policy()]);
    expect(await notesDuring(system, () => system.importModule("_native"))).toEqual([
      "restrictedImports: extension module '_native' (/site/_native.abi3.so) is not on the allowlist",
    ]);
    expect(await notesDuring(system, () => system.importModule("accel"))).toEqual([
      `restrictedImports: extension module 'accel' (/site/accel/__init__${EXT}) is not on the allowlist`,
    ]);
  });

  it("the extension hook declines a refused name (accepts), so every finder passes the file over", () => {
    const container = createContainer({ fs: MemFileSystem.fromFiles(world), plugins: [policy()] });
    const hooks = container.resolve<FileHookRegistry>(tokens.FILE_HOOKS);
    expect(hooks.names).toEqual(["extension", "source"]);
    expect(hooks.get("extension").accepts?.("_native", "/site/_native.abi3.so")).toBe(false);
  });
});

describe("restrictedImports: one directory reached under two names", () => {
  it("answers pkg._accel and _accel each by its own name, whatever was found first", async () => {
    const files = {
      "/site/pkg/__init__.py": "",
      [`/site/pkg/_accel${EXT}`]: ELF,
      "/site/pkg/_accel.py": "X = 'source'\n",
    };
    const system = systemOver(files, [policy()]);
    system.path.push("/site/pkg");
    const finder = () => system.pathImporterCache.get("/site/pkg")!;
    await system.importModule("pkg");
    expect((await system.importModule("pkg._accel")).spec?.origin).toBe(`/site/pkg/_accel${EXT}`);
    // The same finder, the same file, but `_accel` is not on the allowlist: the .py is found instead.
    expect((await system.importModule("_accel")).spec?.origin).toBe("/site/pkg/_accel.py");
    expect(finder().findSpec("pkg._accel", null)).toMatchObject({ origin: `/site/pkg/_accel${EXT}` });
  });
});

describe("restrictedImports: source only", () => {
  const profile = loadProfile("cpython-3.11");

  it("never reads a trusted __pycache__ entry, never writes one", async () => {
    const fs = MemFileSystem.fromFiles({ "/site/mod.py": 'X = "from source"\n' });
    const stat = fs.stat("/site/mod.py")!;
    const cache = cacheFromSource("/site/mod.py", profile)!;
    const header = { hash: null, mtime: mtimeSeconds(stat.mtimeMs), sourceSize: stat.size };
    fs.mkdir("/site/__pycache__");
    fs.writeFile(cache, encodeImportkitPyc('X = "from the cache"\n', header));
    const run = async (plugins: readonly ImportPlugin[]) => {
      const opened: string[] = [];
      const observe = auditImports((e) => {
        if (e.event === "open") opened.push(auditLine(e));
      });
      const system = createImportSystem({ fs, plugins: [...plugins, observe] });
      system.path.push("/site");
      system.sys.dontWriteBytecode = false;
      const mod = await system.importModule("mod");
      return { mod, opened };
    };
    const plain = await run([]);
    expect(plain.mod.getAttr("X")).toBe("from the cache");
    expect(plain.opened).toEqual([`open r ${cache}`]);

    const restricted = await run([policy()]);
    expect(restricted.mod.getAttr("X")).toBe("from source");
    expect(restricted.opened).toEqual(["open r /site/mod.py"]);
    // Still CPython's SourceFileLoader by name, and the spec still says where CPython would cache.
    expect(loaderOf(restricted.mod)).toBe("SourceFileLoader");
    expect(restricted.mod.spec?.cached).toBe(cache);
    expect(restricted.mod.getAttr("__cached__")).toBe(cache);
  });

  it("writes no cache where the plain system writes one", async () => {
    const fs = MemFileSystem.fromFiles({ "/site/mod.py": "X = 1\n" });
    const system = createImportSystem({ fs, plugins: [policy()] });
    system.path.push("/site");
    system.sys.dontWriteBytecode = false;
    await system.importModule("mod");
    expect(fs.stat("/site/__pycache__")).toBeUndefined();
  });

  it("imports no lone .pyc file", async () => {
    const files = { "/site/legacy.pyc": LEGACY_PYC };
    expect((await systemOver(files).importModule("legacy")).getAttr("X")).toBe("legacy");
    const system = systemOver(files, [policy()]);
    expect(await importError(system.importModule("legacy"))).toBeInstanceOf(ModuleNotFoundError);
  });

  it("uses no .pyc member of an archive, lone or beside its source", async () => {
    const archive = await zipOf({
      "fresh.py": 'X = "source"\n',
      "fresh.pyc": FRESH_PYC,
      "alone.pyc": ALONE_PYC,
    });
    const world = { "/site/lib.zip": archive };
    const plain = systemOver(world);
    plain.path.unshift("/site/lib.zip");
    const fresh = await plain.importModule("fresh");
    expect([fresh.getAttr("X"), originOf(fresh)]).toEqual(["zpyc", "/site/lib.zip/fresh.pyc"]);
    expect((await plain.importModule("alone")).getAttr("X")).toBe("alone");

    const system = systemOver(world, [policy()]);
    system.path.unshift("/site/lib.zip");
    await system.importModule("fresh");
    const restricted = system.modules.get("fresh")!;
    expect([restricted.getAttr("X"), originOf(restricted), loaderOf(restricted)]).toEqual([
      "source",
      "/site/lib.zip/fresh.py",
      "zipimporter",
    ]);
    expect(await importError(system.importModule("alone"))).toBeInstanceOf(ModuleNotFoundError);
    // The importer is still zipimport, for every directory of the archive.
    expect(String(system.pathImporterCache.get("/site/lib.zip"))).toBe(
      '<zipimporter object "/site/lib.zip/">',
    );
  });

  it("sets zipimport's pycMembers to none and leaves the other zip settings alone", () => {
    const container = createContainer({
      fs: MemFileSystem.fromFiles({}),
      zip: { checkCrc: false },
      plugins: [policy()],
    });
    expect(container.resolve(tokens.ZIP_OPTIONS)).toMatchObject({ checkCrc: false, pycMembers: "none" });
  });

  it("composes with ignoreLonePyc (either order)", async () => {
    for (const plugins of [
      [ignoreLonePyc(), policy()],
      [policy(), ignoreLonePyc()],
    ]) {
      const system = systemOver({ "/site/legacy.pyc": LEGACY_PYC, "/site/mod.py": "X = 1\n" }, plugins);
      expect(loaderOf(await system.importModule("mod"))).toBe("SourceFileLoader");
      expect(await importError(system.importModule("legacy"))).toBeInstanceOf(ModuleNotFoundError);
    }
  });

  it("one plugin object can restrict several systems", async () => {
    const shared = policy();
    const a = systemOver({ "/site/a.py": "" }, [shared]);
    const b = systemOver({ "/site/b.py": "" }, [shared]);
    expect(originOf(await a.importModule("a"))).toBe("/site/a.py");
    expect(originOf(await b.importModule("b"))).toBe("/site/b.py");
    expect(await importError(b.importModule("a"))).toBeInstanceOf(ModuleNotFoundError);
  });
});
