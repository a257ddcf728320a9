/** ignoreLonePyc: a .pyc is never a module by itself; nothing else changes. */
import { describe, expect, it } from "vitest";
import {
  createContainer,
  type FileHookRegistry,
  type ImportError,
  type ImportSystem,
  MemFileSystem,
  ModuleNotFoundError,
  tokens,
  type ZipImportOptions,
} from "../../src/index.js";
import { ignoreLonePyc } from "../../src/policies/index.js";
import { ALONE_PYC, FRESH_PYC, LEGACY_PYC, systemOver, zipOf } from "./support.js";

const loaderAndOrigin = async (system: ImportSystem, name: string) => {
  const module = await system.importModule(name);
  return [module.spec?.loaderKind, module.spec?.origin, module.getAttr("X")];
};

async function notFound(system: ImportSystem, name: string): Promise<void> {
  const error = await system.importModule(name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleNotFoundError);
  expect((error as ImportError).message).toBe(`No module named '${name}'`);
  expect(system.modules.has(name)).toBe(false);
}

describe("ignoreLonePyc in directories", () => {
  const world = {
    "/site/legacy.pyc": LEGACY_PYC,
    "/site/oldpkg/__init__.pyc": LEGACY_PYC,
    "/site/oldpkg/part.py": "X = 'part'\n",
    "/site/onlypyc/__init__.pyc": LEGACY_PYC,
    "/site/mod.py": "X = 'source'\n",
    "/site/mod.pyc": LEGACY_PYC,
  };

  it("without it, a lone .pyc is a module (SourcelessFileLoader)", async () => {
    const system = systemOver(world);
    expect(await loaderAndOrigin(system, "legacy")).toEqual([
      "SourcelessFileLoader",
      "/site/legacy.pyc",
      "legacy",
    ]);
    expect(await loaderAndOrigin(system, "oldpkg")).toEqual([
      "SourcelessFileLoader",
      "/site/oldpkg/__init__.pyc",
      "legacy",
    ]);
  });

  it("with it, a lone module .pyc is not found, and a package directory without its __init__ is a namespace", async () => {
    const system = systemOver(world, [ignoreLonePyc()]);
    await notFound(system, "legacy");
    const part = await system.importModule("oldpkg.part");
    expect(part.getAttr("X")).toBe("part");
    expect(system.modules.get("oldpkg")?.spec?.loaderKind).toBe("NamespaceLoader");
    expect((await system.importModule("onlypyc")).spec?.loaderKind).toBe("NamespaceLoader");
  });

  it("a .pyc beside its .py changes nothing: the source wins either way", async () => {
    for (const plugins of [[], [ignoreLonePyc()]]) {
      expect(await loaderAndOrigin(systemOver(world, plugins), "mod")).toEqual([
        "SourceFileLoader",
        "/site/mod.py",
        "source",
      ]);
    }
  });

  it("the bytecode cache (__pycache__) is written and read as before", async () => {
    const fs = MemFileSystem.fromFiles({ "/site/cached.py": "X = 1\n" });
    const container = createContainer({ fs, plugins: [ignoreLonePyc()] });
    const system = container.resolve<ImportSystem>(tokens.IMPORT_SYSTEM);
    system.path.push("/site");
    system.sys.dontWriteBytecode = false;
    const module = await system.importModule("cached");
    expect(module.spec?.cached).toBe("/site/__pycache__/cached.cpython-311.pyc");
    expect(fs.stat("/site/__pycache__/cached.cpython-311.pyc")?.kind).toBe("file");
  });
});

describe("ignoreLonePyc in zip archives", () => {
  async function archiveSystem(plugins = [ignoreLonePyc()]) {
    const archive = await zipOf({
      "fresh.py": 'X = "source"\n',
      "fresh.pyc": FRESH_PYC,
      "alone.pyc": ALONE_PYC,
      "zpkg/": "",
      "zpkg/__init__.pyc": ALONE_PYC,
      "zpkg/inner.py": "X = 'inner'\n",
    });
    const system = systemOver({ "/site/lib.zip": archive }, plugins);
    system.path.unshift("/site/lib.zip");
    return system;
  }

  it("without it, lone members are modules", async () => {
    const system = await archiveSystem([]);
    expect(await loaderAndOrigin(system, "alone")).toEqual([
      "zipimporter",
      "/site/lib.zip/alone.pyc",
      "alone",
    ]);
    expect(await loaderAndOrigin(system, "zpkg")).toEqual([
      "zipimporter",
      "/site/lib.zip/zpkg/__init__.pyc",
      "alone",
    ]);
  });

  it("with it, a lone member is passed over; a package directory of the archive becomes a namespace", async () => {
    const system = await archiveSystem();
    await notFound(system, "alone");
    expect((await system.importModule("zpkg.inner")).getAttr("X")).toBe("inner");
    expect(system.modules.get("zpkg")?.spec?.loaderKind).toBe("NamespaceLoader");
  });

  it("a .pyc member beside its .py is still used when it is valid for that source", async () => {
    const system = await archiveSystem();
    expect(await loaderAndOrigin(system, "fresh")).toEqual([
      "zipimporter",
      "/site/lib.zip/fresh.pyc",
      "zpyc",
    ]);
  });
});

describe("ignoreLonePyc changes nothing else", () => {
  it("removes only the bytecode file hook and sets only pycMembers", () => {
    const plain = createContainer({ fs: MemFileSystem.fromFiles({}) });
    const policy = createContainer({ fs: MemFileSystem.fromFiles({}), plugins: [ignoreLonePyc()] });
    expect(policy.resolve<FileHookRegistry>(tokens.FILE_HOOKS).names).toEqual(["extension", "source"]);
    expect(policy.resolve(tokens.ZIP_OPTIONS)).toEqual({
      ...plain.resolve<ZipImportOptions>(tokens.ZIP_OPTIONS),
      pycMembers: "with-source",
    });
    const names = (system: ImportSystem) => [
      system.metaPath.map((importer) => importer.pyType),
      system.pathHooks.map((hook) => hook.name),
    ];
    expect(names(policy.resolve(tokens.IMPORT_SYSTEM))).toEqual(names(plain.resolve(tokens.IMPORT_SYSTEM)));
  });

  it("is a no-op when the bytecode hook is already gone", () => {
    const container = createContainer({
      fs: MemFileSystem.fromFiles({}),
      plugins: [ignoreLonePyc(), ignoreLonePyc()],
    });
    expect(container.resolve<FileHookRegistry>(tokens.FILE_HOOKS).names).toEqual(["extension", "source"]);
  });
});
