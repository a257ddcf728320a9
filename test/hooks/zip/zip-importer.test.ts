/**
 * ZipImporter and the zip path hook, through the default system (createContainer/createImportSystem) over a
 * memfs world: spec fields, the loader methods (get_data, get_source, get_filename, is_package), archive
 * subdirectories, which path entries the hook declines, re-reading a replaced archive (importkit's default)
 * or only on invalidate_caches (CPython's), hostile member names, one decode per import, file hooks inside
 * archives, and the 3.9 / 3.13 dialects.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createContainer } from "../../../src/composition-root.js";
import { EOFError, ModuleNotFoundError, OSError, ZipImportError } from "../../../src/core/errors.js";
import { CountingFileSystem } from "../../../src/core/fs/counting-fs.js";
import type { FileSystem } from "../../../src/core/fs/file-system.js";
import { MemFileSystem, type MemFiles } from "../../../src/core/fs/mem-fs.js";
import { NodeFileSystem } from "../../../src/core/fs/node-fs.js";
import type { ImportSystem } from "../../../src/core/import-system.js";
import type { ArchiveMember, FileHook, Loader } from "../../../src/core/interfaces.js";
import type { FileHookRegistry } from "../../../src/hooks/file-hook-registry.js";
import type { ZipImporter, ZipImportOptions } from "../../../src/hooks/zip/zip-importer.js";
import { CPYTHON_ZIP_OPTIONS, DEFAULT_ZIP_OPTIONS } from "../../../src/hooks/zip/zip-options.js";
import type { PathFinder } from "../../../src/importers/path-finder.js";
import * as T from "../../../src/tokens.js";
import { thrown } from "../../support/thrown.js";
import { buildZip, type RawEntry } from "../../zip/support/zip-writer.js";

const LIB = "/w/lib.zip";

/** `X = "alone"` compiled by CPython 3.11 (the oracle's zip_pyc_inside scenario). */
const ALONE_PYC = Buffer.from(
  "pw0NCgAAAAAA8VNlDAAAAOMAAAAAAAAAAAAAAAABAAAAAAAAAPMKAAAAlwBkAFoAZAFTACkC2gVhbG9uZU4pAdoBWKkA8wAAAAD6BTxweWM" +
    "++gg8bW9kdWxlPnIHAAAAAQAAAHMOAAAA8AMBAQHYBAuAAYABgAFyBQAAAA==",
  "base64",
);
/** The same pyc with a bad magic number. */
const BAD_MAGIC_PYC = Uint8Array.from(ALONE_PYC, (b, i) => (i < 2 ? 0 : b));

const zip = (entries: Record<string, string | Uint8Array | null>, more: Partial<RawEntry> = {}) =>
  buildZip({
    entries: Object.entries(entries).map(([name, data]) => ({ name, data: data ?? "", ...more })),
  }).bytes;

const LIB_ZIP = zip({
  "mod.py": "X = 1\n",
  "pkg/__init__.py": "P = 'pkg'\n",
  "pkg/sub.py": "S = 2\n",
  "alone.pyc": ALONE_PYC,
  "ns/": null,
  "ns/n.py": "N = 3\n",
  "implied/x.py": "I = 4\n",
  "data/blob.txt": "some data\n",
  "sub/": null,
  "sub/m.py": "M = 5\n",
  "sub/deeper/d.py": "D = 6\n",
});

interface WorldOptions {
  readonly profile?: string;
  readonly zip?: Partial<ZipImportOptions>;
  readonly hooks?: readonly FileHook[];
  readonly fs?: (mem: MemFileSystem) => FileSystem;
}

function world(files: MemFiles, options: WorldOptions = {}) {
  const mem = MemFileSystem.fromFiles(files, "/w");
  const fs = new CountingFileSystem(options.fs ? options.fs(mem) : mem);
  return { mem, fs, ...makeSystem(fs, options) };
}

function makeSystem(fs: FileSystem, options: WorldOptions = {}) {
  const c = createContainer({
    fs,
    ...(options.profile && { profile: options.profile }),
    ...(options.zip && { zip: options.zip }),
  });
  const registry = c.resolve<FileHookRegistry>(T.FILE_HOOKS);
  for (const hook of options.hooks ?? []) registry.add(hook);
  const importSystem = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
  const pathFinder = c.resolve<PathFinder>(T.PATH_FINDER);
  importSystem.path = [LIB];
  return {
    system: importSystem,
    pathFinder,
    finder: async (entry = LIB) => (await pathFinder.finderFor(entry)) as ZipImporter,
  };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("ZipImporter: specs", () => {
  it("finds modules, packages and pycs with CPython's spec fields", async () => {
    const { finder } = world({ [LIB]: LIB_ZIP });
    const f = await finder();
    expect(f.pyType).toBe("zipimporter");
    expect(String(f)).toBe(`<zipimporter object "${LIB}/">`);

    const mod = (await f.findSpec("mod", null))!;
    expect(mod).toMatchObject({ name: "mod", origin: `${LIB}/mod.py`, hasLocation: true });
    expect(mod.loader).toBe(f);
    expect(mod.loaderKind).toBe("zipimporter");
    expect(mod.cached).toBe(`${LIB}/__pycache__/mod.cpython-311.pyc`);
    expect(mod.submoduleSearchLocations).toBeNull();

    const pkg = (await f.findSpec("pkg", null))!;
    expect(pkg.origin).toBe(`${LIB}/pkg/__init__.py`);
    expect(pkg.cached).toBe(`${LIB}/pkg/__pycache__/__init__.cpython-311.pyc`);
    expect(pkg.submoduleSearchLocations).toMatchObject({ items: [`${LIB}/pkg`] });

    const alone = (await f.findSpec("alone", null))!;
    expect(alone.origin).toBe(`${LIB}/alone.pyc`);
    expect(alone.cached).toBe(`${LIB}/alone.pyc`);

    expect(await f.findSpec("missing", null)).toBeNull();
  });

  it("makes a namespace portion only from a directory entry", async () => {
    const { finder, system } = world({ [LIB]: LIB_ZIP });
    const f = await finder();
    const ns = (await f.findSpec("ns", null))!;
    expect(ns.loader).toBeNull();
    expect(ns.origin).toBeNull();
    expect(ns.submoduleSearchLocations).toMatchObject({ items: [`${LIB}/ns`] });
    // Without the entry `implied/` nothing is found, though `implied/x.py` exists.
    expect(await f.findSpec("implied", null)).toBeNull();
    expect((await system.importModule("ns.n")).getAttr("N")).toBe(3n);
    await expect(system.importModule("implied.x")).rejects.toThrow(ModuleNotFoundError);
  });

  it("imports through the system: attributes, __file__, __loader__, submodules", async () => {
    const { system, finder } = world({ [LIB]: LIB_ZIP });
    const mod = await system.importModule("mod");
    expect(mod.getAttr("X")).toBe(1n);
    expect(mod.dict.get("__file__")).toBe(`${LIB}/mod.py`);
    expect(mod.dict.get("__loader__")).toBe(await finder());
    expect((await system.importModule("pkg.sub")).getAttr("S")).toBe(2n);
    expect((await system.importModule("alone")).getAttr("X")).toBe("alone");
    expect(system.pathImporterCache.get(`${LIB}/pkg`)?.pyType).toBe("zipimporter");
  });
});

describe("ZipImporter: loader methods", () => {
  it("getData takes a member name, with or without the archive's path", async () => {
    const f = await world({ [LIB]: LIB_ZIP }).finder();
    expect(text(f.getData(`${LIB}/data/blob.txt`))).toBe("some data\n");
    expect(text(f.getData("data/blob.txt"))).toBe("some data\n");
    expect(f.getData("ns/").length).toBe(0);
  });

  it("getData raises OSError '[Errno 0] : key' for a missing member", async () => {
    const f = await world({ [LIB]: LIB_ZIP }).finder();
    for (const [path, key] of [
      ["nothing.txt", "nothing.txt"],
      [`${LIB}/data/none`, "data/none"],
      ["/w/other.zip/x.py", "/w/other.zip/x.py"],
      [`${LIB}/ns`, "ns"],
    ]) {
      const error = thrown(() => f.getData(path!));
      expect(error).toBeInstanceOf(OSError);
      expect(error.message).toBe(`[Errno 0] : '${key}'`);
    }
  });

  it("getSource: the .py member's text, null for a pyc alone, ZipImportError when there is no module", async () => {
    const f = await world({ [LIB]: LIB_ZIP }).finder();
    expect(f.getSource("mod")).toBe("X = 1\n");
    expect(f.getSource("pkg")).toBe("P = 'pkg'\n");
    expect(f.getSource("alone")).toBeNull();
    const error = thrown(() => f.getSource("missing"));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe("can't find module 'missing'");
    expect((error as ZipImportError).moduleName).toBe("missing");
    // A namespace directory is no module either.
    expect(thrown(() => f.getSource("ns")).message).toBe("can't find module 'ns'");
  });

  it("getFilename and isPackage", async () => {
    const f = await world({ [LIB]: LIB_ZIP }).finder();
    expect(f.getFilename("mod")).toBe(`${LIB}/mod.py`);
    expect(f.getFilename("pkg")).toBe(`${LIB}/pkg/__init__.py`);
    expect(f.getFilename("alone")).toBe(`${LIB}/alone.pyc`);
    expect(thrown(() => f.getFilename("missing")).message).toBe("can't find module 'missing'");
    expect(f.isPackage("pkg")).toBe(true);
    expect(f.isPackage("mod")).toBe(false);
    expect(f.isPackage("alone")).toBe(false);
    const error = thrown(() => f.isPackage("ns"));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe("can't find module 'ns'");
  });

  it("uses only the last component of a dotted name, under the finder's prefix", async () => {
    const f = await world({ [LIB]: LIB_ZIP }).finder(`${LIB}/pkg`);
    expect(f.prefix).toBe("pkg/");
    expect((await f.findSpec("pkg.sub", null))!.origin).toBe(`${LIB}/pkg/sub.py`);
    expect(f.getSource("anything.sub")).toBe("S = 2\n");
  });
});

describe("zip path hook: archives, subdirectories and what it declines", () => {
  it("takes a subdirectory of an archive as a prefix (with or without a trailing slash, even if absent)", async () => {
    const { finder, system } = world({ [LIB]: LIB_ZIP });
    for (const [entry, prefix] of [
      [`${LIB}/sub`, "sub/"],
      [`${LIB}/sub/`, "sub/"],
      [`${LIB}/sub/deeper`, "sub/deeper/"],
      [`${LIB}/nosuch/dir`, "nosuch/dir/"],
    ] as const) {
      const f = await finder(entry);
      expect(f.archive).toBe(LIB);
      expect(f.prefix).toBe(prefix);
    }
    const sub = await finder(`${LIB}/sub`);
    expect(String(sub)).toBe(`<zipimporter object "${LIB}/sub/">`);
    expect((await sub.findSpec("m", null))!.origin).toBe(`${LIB}/sub/m.py`);
    expect(await (await finder(`${LIB}/nosuch/dir`)).findSpec("m", null)).toBeNull();
    system.path = [`${LIB}/sub/deeper`];
    expect((await system.importModule("d")).dict.get("__file__")).toBe(`${LIB}/sub/deeper/d.py`);
  });

  it("shares one table among the finders of one archive", async () => {
    const { finder, fs } = world({ [LIB]: LIB_ZIP });
    await finder();
    fs.reset();
    const sub = await finder(`${LIB}/sub`);
    expect(fs.counts.read).toBe(0);
    expect(sub.files).toBe((await finder()).files);
  });

  it("declines what is not an archive; the directory hook takes directories, and None is cached for the rest", async () => {
    const { pathFinder, system } = world({
      [LIB]: LIB_ZIP,
      "/w/plain.txt": "just text, no zip\n",
      "/w/garbage.zip": new Uint8Array(100).fill(7),
      "/w/empty.zip": new Uint8Array(0),
      "/w/dir/m.py": "",
    });
    for (const entry of [
      "/w/plain.txt",
      "/w/garbage.zip",
      "/w/empty.zip",
      "/w/missing.zip",
      "/w/plain.txt/x",
    ]) {
      expect(await pathFinder.finderFor(entry)).toBeNull();
    }
    expect(system.pathImporterCache.get("/w/plain.txt")).toBeNull();
    expect(system.pathImporterCache.get("/w/missing.zip")).toBeNull();
    expect((await pathFinder.finderFor("/w/dir"))!.pyType).toBe("FileFinder");
    // "" is the cwd, a directory.
    expect((await pathFinder.finderFor(""))!.pyType).toBe("FileFinder");
    expect(system.pathImporterCache.get("/w")?.pyType).toBe("FileFinder");
  });

  it("lets a directory cut short raise EOFError out of the import, as CPython does", async () => {
    const layout = buildZip({ entries: [{ name: "a.py", data: "A = 1\n" }] });
    // The record's comment swallows the end record: the loop reads at the end of the file.
    const cut = layout.bytes.slice();
    new DataView(cut.buffer).setUint16(
      layout.centralOffsets[0]! + 32,
      cut.length - (layout.centralOffsets[0]! + 46 + 4),
      true,
    );
    const { system } = world({ "/w/cut.zip": cut });
    system.path = ["/w/cut.zip"];
    await expect(system.importModule("a")).rejects.toThrow(EOFError);
  });

  it("takes an archive whose table comes as a promise (an empty-named record), and declines one that rejects", async () => {
    const bytes = buildZip({ entries: [{ name: "" }, { name: "a.py", data: "A = 1\n" }] }).bytes;
    const bad = buildZip({ entries: [{ name: "" }, { name: "b.py", headerOffset: 1 << 20 }] }).bytes;
    const { system, pathFinder, mem } = world({ "/w/async.zip": bytes, "/w/bad.zip": bad });
    system.path = ["/w/bad.zip", "/w/async.zip"];
    expect((await system.importModule("a")).getAttr("A")).toBe(1n);
    expect((await pathFinder.finderFor("/w/async.zip"))!.pyType).toBe("zipimporter");
    expect(system.pathImporterCache.get("/w/bad.zip")).toBeNull();
    // Re-read (revalidation) as a promise too.
    mem.writeFile("/w/async.zip", zip({ "": "", "late.py": "L = 2\n", "pad.txt": "p".repeat(50) }));
    expect((await system.importModule("late")).getAttr("L")).toBe(2n);
  });
});

describe("ZipImporter: replaced archives", () => {
  const V2 = zip({ "mod.py": "X = 2\n", "late.py": "L = 'late'\n", "padding.txt": "p".repeat(100) });

  it("importkit's default re-reads an archive whose stat changed, without invalidate_caches", async () => {
    const { system, mem } = world({ [LIB]: LIB_ZIP }, { zip: DEFAULT_ZIP_OPTIONS });
    expect((await system.importModule("mod")).getAttr("X")).toBe(1n);
    mem.writeFile(LIB, V2);
    expect((await system.importModule("late")).getAttr("L")).toBe("late");
    await expect(system.importModule("pkg")).rejects.toThrow(ModuleNotFoundError);
  });

  it("CPython's options keep the old table until invalidate_caches", async () => {
    const { system, mem, finder } = world({ [LIB]: LIB_ZIP }, { zip: CPYTHON_ZIP_OPTIONS });
    await system.importModule("mod");
    mem.writeFile(LIB, V2);
    await expect(system.importModule("late")).rejects.toThrow(ModuleNotFoundError);
    expect((await finder()).files.has("pkg/__init__.py")).toBe(true);
    system.invalidateCaches();
    expect((await system.importModule("late")).getAttr("L")).toBe("late");
    expect((await finder()).files.has("pkg/__init__.py")).toBe(false);
  });

  it("an archive corrupt when caches are invalidated has no files; a good one is read again on the next invalidation", async () => {
    const { system, mem, finder } = world({ [LIB]: LIB_ZIP }, { zip: CPYTHON_ZIP_OPTIONS });
    const f = await finder();
    await system.importModule("mod");
    mem.writeFile(LIB, new TextEncoder().encode("no longer a zip"));
    system.invalidateCaches();
    expect(f.files.size).toBe(0);
    expect(await f.findSpec("pkg", null)).toBeNull();
    await expect(system.importModule("pkg")).rejects.toThrow(ModuleNotFoundError);
    mem.writeFile(LIB, V2);
    system.invalidateCaches();
    expect(f.files.has("late.py")).toBe(true);
    expect((await system.importModule("late")).getAttr("L")).toBe("late");
  });

  it("with revalidation, a corrupted archive has no files at the next find, and a removed one too", async () => {
    const { mem, finder } = world({ [LIB]: LIB_ZIP }, { zip: DEFAULT_ZIP_OPTIONS });
    const f = await finder();
    expect(await f.findSpec("mod", null)).not.toBeNull();
    mem.writeFile(LIB, new Uint8Array(50));
    expect(await f.findSpec("mod", null)).toBeNull();
    expect(f.files.size).toBe(0);
    mem.writeFile(LIB, V2);
    expect((await f.findSpec("late", null))!.origin).toBe(`${LIB}/late.py`);
    mem.remove(LIB);
    expect(await f.findSpec("late", null)).toBeNull();
  });
});

describe("ZipImporter: hostile member names never resolve", () => {
  it("'..' and '.' components, absolute names and backslashes are refused (issue #5; CPython would import some)", async () => {
    // The real disk: there stat("lib.zip/..") fails (ENOTDIR), so the hook walks up to the archive with prefix "../".
    const dir = mkdtempSync(join(tmpdir(), "importkit-zip-hostile-"));
    try {
      const lib = join(dir, "lib.zip");
      writeFileSync(
        lib,
        zip({
          "good.py": "G = 1\n",
          "../evil.py": "E = 1\n",
          "sub/../esc.py": "S = 1\n",
          "./dot.py": "D = 1\n",
          "/abs.py": "A = 1\n",
          "a\\b.py": "B = 1\n",
        }),
      );
      const { system, finder } = makeSystem(new NodeFileSystem(dir));
      system.path = [`${lib}/..`, `${lib}/sub/..`, `${lib}/.`, lib];
      expect((await system.importModule("good")).getAttr("G")).toBe(1n);
      for (const name of ["evil", "esc", "dot", "abs", "a\\b", "b"]) {
        await expect(system.importModule(name)).rejects.toThrow(ModuleNotFoundError);
      }
      const up = await finder(`${lib}/..`);
      expect(up.prefix).toBe("../");
      expect(await up.findSpec("evil", null)).toBeNull();
      expect(thrown(() => up.isPackage("evil"))).toBeInstanceOf(ZipImportError);
      expect(thrown(() => up.getSource("evil")).message).toBe("can't find module 'evil'");
      const subUp = await finder(`${lib}/sub/..`);
      expect(subUp.prefix).toBe("sub/../");
      expect(await subUp.findSpec("esc", null)).toBeNull();
      expect(await (await finder(lib)).findSpec("a\\b", null)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ZipImporter: one decode per import", () => {
  it("keeps the code its find decoded for the get_code that follows", async () => {
    const { fs, finder } = world({ [LIB]: LIB_ZIP });
    const f = await finder();
    for (const name of ["mod", "alone"]) {
      fs.reset();
      expect(await f.findSpec(name, null)).not.toBeNull();
      expect(fs.counts.read).toBe(1);
      fs.reset();
      f.getCode(name);
      expect(fs.counts.read).toBe(0);
      // Taken: the next get_code reads again.
      f.getCode(name);
      expect(fs.counts.read).toBe(1);
    }
  });

  it("reads an archive's table once and each imported member once", async () => {
    const { fs, system } = world({ [LIB]: LIB_ZIP });
    await system.importModule("mod");
    expect(fs.counts.read).toBe(2);
    fs.reset();
    await system.importModule("pkg.sub");
    expect(fs.counts.read).toBe(2);
  });

  it("forgets the kept code when caches are invalidated", async () => {
    const { fs, finder } = world({ [LIB]: LIB_ZIP }, { zip: CPYTHON_ZIP_OPTIONS });
    const f = await finder();
    await f.findSpec("mod", null);
    f.invalidateCaches();
    fs.reset();
    f.getCode("mod");
    expect(fs.counts.read).toBe(1);
  });
});

describe("ZipImporter: file hooks inside archives", () => {
  const loaded: ArchiveMember[] = [];
  const islHook: FileHook = {
    name: "isl",
    suffixes: [".isl"],
    createLoader: () => {
      throw new Error("not used inside archives");
    },
    createMemberLoader(fullname: string, member: ArchiveMember): Loader {
      loaded.push(member);
      return {
        pyType: "IslLoader",
        isPackage: () => member.name.includes("__init__"),
        execModule(module) {
          module.setAttr("TEXT", new TextDecoder().decode(member.read()));
          module.setAttr("NAME", fullname);
        },
      };
    },
  };
  const noMemberHook: FileHook = {
    name: "nomember",
    suffixes: [".nm"],
    createLoader: () => {
      throw new Error("not used inside archives");
    },
  };
  const files = {
    [LIB]: zip({
      "x.isl": "isl text",
      "both.py": "FROM = 'py'\n",
      "both.isl": "isl",
      "pc.pyc": ALONE_PYC,
      "pc.isl": "isl",
      "ipkg/__init__.isl": "package",
      "ipkg.isl": "module",
      "y.nm": "never",
    }),
  };

  it("finds members by the hook's suffixes after zipimport's own .pyc and .py, packages first", async () => {
    loaded.length = 0;
    const { system, finder } = world(files, { hooks: [islHook, noMemberHook] });
    const f = await finder();
    const x = (await f.findSpec("x", null))!;
    expect(x.origin).toBe(`${LIB}/x.isl`);
    expect(x.loaderKind).toBe("IslLoader");
    expect(x.submoduleSearchLocations).toBeNull();
    expect(loaded.at(-1)).toMatchObject({
      archive: LIB,
      name: "x.isl",
      path: `${LIB}/x.isl`,
      size: 8,
      mtime: 1_700_000_000,
    });
    const mod = await system.importModule("x");
    expect(mod.getAttr("TEXT")).toBe("isl text");
    expect(mod.dict.get("__file__")).toBe(`${LIB}/x.isl`);

    expect((await f.findSpec("both", null))!.origin).toBe(`${LIB}/both.py`);
    expect((await f.findSpec("pc", null))!.origin).toBe(`${LIB}/pc.pyc`);
    const ipkg = (await f.findSpec("ipkg", null))!;
    expect(ipkg.origin).toBe(`${LIB}/ipkg/__init__.isl`);
    expect(ipkg.submoduleSearchLocations).toMatchObject({ items: [`${LIB}/ipkg`] });
    expect((await system.importModule("ipkg")).getAttr("TEXT")).toBe("package");
  });

  it("does not use hooks without createMemberLoader inside archives", async () => {
    const { finder, system } = world({ ...files, "/w/dir/y.nm": "" }, { hooks: [islHook, noMemberHook] });
    expect(await (await finder()).findSpec("y", null)).toBeNull();
    await expect(system.importModule("y")).rejects.toThrow(ModuleNotFoundError);
  });

  it("uses no file hook at all by default (zipimport knows .py and .pyc only)", async () => {
    const { finder } = world(files);
    expect(await (await finder()).findSpec("x", null)).toBeNull();
  });
});

describe("ZipImporter: version dialects", () => {
  const V2 = zip({ "late.py": "L = 1\n", "pad.txt": "x".repeat(99) });

  it("3.9: no invalidate_caches (the archive is never read again), 'can't find module' for bad pycs, no cached", async () => {
    const { system, mem, finder } = world(
      { [LIB]: zip({ "mod.py": "X = 1\n", "bad.pyc": BAD_MAGIC_PYC }) },
      { profile: "cpython-3.9", zip: CPYTHON_ZIP_OPTIONS },
    );
    const f = await finder();
    const spec = (await f.findSpec("mod", null))!;
    expect(spec.cached).toBeNull();
    expect(thrown(() => f.getFilename("bad")).message).toBe("can't find module 'bad'");
    mem.writeFile(LIB, V2);
    system.invalidateCaches();
    expect(f.files.has("mod.py")).toBe(true);
    await expect(system.importModule("late")).rejects.toThrow(ModuleNotFoundError);
  });

  it("3.11: 'module load failed' for a bad pyc alone, and the find leaves the origin unknown", async () => {
    const { finder, system } = world({ [LIB]: zip({ "bad.pyc": BAD_MAGIC_PYC }) });
    const f = await finder();
    const error = thrown(() => f.getFilename("bad"));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe("module load failed: bad magic number in 'bad': b'\\x00\\x00\\r\\n'");
    expect((await f.findSpec("bad", null))!.origin).toBe("<unknown>");
    await expect(system.importModule("bad")).rejects.toThrow(/^module load failed: bad magic number/);
  });

  it("3.13: an archive whose records stop short of the end record's count is declined", async () => {
    const short = buildZip({ entries: [{ name: "m.py", data: "M = 1\n" }], entryCount: 2 }).bytes;
    const v313 = world({ [LIB]: short }, { profile: "cpython-3.13" });
    expect(await v313.pathFinder.finderFor(LIB)).toBeNull();
    await expect(v313.system.importModule("m")).rejects.toThrow(ModuleNotFoundError);
    const v311 = world({ [LIB]: short });
    expect((await v311.system.importModule("m")).getAttr("M")).toBe(1n);
  });
});
