import { describe, expect, it, vi } from "vitest";
import { createImportSystem } from "../../src/composition-root.js";
import { ImportError, SnapshotError, SnapshotStaleError } from "../../src/core/errors.js";
import type { ImportEvent } from "../../src/core/events.js";
import { CountingFileSystem } from "../../src/core/fs/counting-fs.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../../src/core/import-system.js";
import type { Module } from "../../src/core/module.js";
import type { PyList } from "../../src/core/values.js";
import { scenarioCodeFormat } from "../../src/exec/code-format.js";
import { PluginError } from "../../src/plugins/plugin.js";
import { snapshot } from "../../src/plugins/snapshot.js";
import { describeValue } from "../../src/scenario/describe-value.js";
import { PathRewriter } from "../../src/scenario/path-rewriter.js";
import { decodeSnapshot, encodeSnapshot, HEADER_SIZE } from "../../src/snapshot/format.js";
import { freeze } from "../../src/snapshot/freeze.js";
import { setAllMtimes } from "../support/directory-world.js";

const FILES = {
  "/app/main.py": "import pkg.sub\nfrom pkg import helper\nimport util\nVALUE = 1\n",
  "/app/pkg/__init__.py": "'''The package.'''\nX = 'pkg'\n",
  "/app/pkg/sub.py": "from . import helper\nY = helper.H\n",
  "/app/pkg/helper.py": "H = (1, 2.5, b'x', -0.0, 123456789012345678901234567890, ...)\n",
  "/lib/util.py": "U = {'a': [1, None], 'b': {1, 2}}\nclass C:\n    '''doc'''\ndef f(a=1):\n    pass\n",
};
const PATH = ["/app", "/lib"];
const REWRITER = new PathRewriter("/no-root", null);
const SNAPSHOT_FILE = "/app/app.snapshot";

function world(): MemFileSystem {
  const mem = MemFileSystem.fromFiles(FILES);
  setAllMtimes(mem, "/app");
  setAllMtimes(mem, "/lib");
  return mem;
}

async function frozenWorld(identity: "stamp" | "hash" = "stamp") {
  const mem = world();
  const result = await freeze({ fs: mem, path: PATH, entries: ["main"], identity });
  mem.writeFile(SNAPSHOT_FILE, result.data);
  setAllMtimes(mem, "/app");
  return { mem, result };
}

function system(
  fs: MemFileSystem | CountingFileSystem,
  options: { strict?: boolean; validate?: boolean } = {},
) {
  const s = createImportSystem({ fs, plugins: [snapshot(SNAPSHOT_FILE, options)] });
  s.path.push(...PATH);
  return s;
}

function trace(s: ImportSystem): ImportEvent[] {
  const events: ImportEvent[] = [];
  s.events.on((e) => {
    if (e.type === "snapshot") events.push(e);
  });
  return events;
}

/** A module's namespace without dunders, as text (what running its code made). */
function namespace(module: Module): string[] {
  return [...module.dict]
    .filter(([k]) => !k.startsWith("__"))
    .map(([k, v]) => `${k}=${JSON.stringify(describeValue(v, REWRITER))}`);
}

describe("freeze", () => {
  it("snapshots every module the entry loads, and nothing else", async () => {
    const { result } = await frozenWorld();
    expect(result.frozen).toEqual(["main", "pkg", "pkg.helper", "pkg.sub", "util"]);
    expect(result.leftToPath).toEqual([]);
    const snap = decodeSnapshot(result.data, "x");
    const pkg = snap.modules.get("pkg")!;
    expect(pkg).toMatchObject({
      file: "/app/pkg/__init__.py",
      origin: "/app/pkg/__init__.py",
      loader: "SourceFileLoader",
      package: "pkg",
      path: ["/app/pkg"],
      search: { entries: ["/app"] },
    });
    expect(snap.modules.get("util")!.search.entries).toEqual(["/app", "/lib"]);
    expect(snap.modules.get("pkg.sub")!.search.entries).toEqual(["/app/pkg"]);
    expect(snap.modules.get("util")!.source).toMatchObject({
      file: "/lib/util.py",
      size: FILES["/lib/util.py"].length,
    });
  });

  it("is deterministic", async () => {
    expect((await frozenWorld()).result.data).toEqual((await frozenWorld()).result.data);
  });

  it("names the entry that fails", async () => {
    await expect(freeze({ fs: world(), path: PATH, entries: ["main", "nope"] })).rejects.toThrow(
      "importing nope failed: ModuleNotFoundError: No module named 'nope'",
    );
  });
});

describe("SnapshotImporter", () => {
  it("serves the same modules the path gives, saying they came from the snapshot", async () => {
    const { mem } = await frozenWorld();
    const plain = createImportSystem({ fs: world() });
    plain.path.push(...PATH);
    await plain.importModule("main");
    const s = system(mem);
    const events = trace(s);
    await s.importModule("main");
    for (const name of ["main", "pkg", "pkg.sub", "pkg.helper", "util"]) {
      const module = s.modules.get(name)!;
      const original = plain.modules.get(name)!;
      expect(namespace(module), name).toEqual(namespace(original));
      expect(module.file).toBe(original.file);
      expect(module.dict.get("__package__")).toBe(original.dict.get("__package__"));
      expect(module.spec).toMatchObject({ origin: SNAPSHOT_FILE, hasLocation: false, cached: null });
      expect(module.spec?.loaderKind).toBe("SnapshotImporter");
      expect(module.spec?.loaderState).toEqual({
        snapshot: SNAPSHOT_FILE,
        filename: original.file,
        origin: original.spec?.origin,
        loader: "SourceFileLoader",
      });
      expect(module.dict.has("__cached__")).toBe(false);
    }
    expect((s.modules.get("pkg")!.path as PyList).items).toEqual(["/app/pkg"]);
    expect(events.map((e) => e.type === "snapshot" && `${e.action} ${e.name}`)).toEqual([
      "served main",
      "served pkg",
      "served pkg.sub",
      "served pkg.helper",
      "served util",
    ]);
  });

  it("reads no module file, and decodes only the modules imported", async () => {
    const { mem } = await frozenWorld();
    const counting = new CountingFileSystem(mem);
    const decode = vi.spyOn(scenarioCodeFormat, "decode");
    try {
      const s = system(counting);
      await s.importModule("util");
      expect(decode).toHaveBeenCalledTimes(1);
      expect(decode.mock.calls[0]![1]).toBe("/lib/util.py");
    } finally {
      decode.mockRestore();
    }
    expect(counting.counts.readFile).toBe(1); // the snapshot itself
  });

  it("falls back to the path for a module whose file changed, and says why", async () => {
    const { mem } = await frozenWorld();
    mem.writeFile("/lib/util.py", new TextEncoder().encode("U = 'changed'\n"));
    setAllMtimes(mem, "/lib");
    const s = system(mem);
    const events = trace(s);
    await s.importModule("util");
    const util = s.modules.get("util")!;
    expect(util.spec?.loaderKind).toBe("SourceFileLoader");
    expect(namespace(util)).toEqual(['U={"value":"changed"}']);
    expect(events).toEqual([
      {
        type: "snapshot",
        name: "util",
        snapshot: SNAPSHOT_FILE,
        action: "stale",
        reason: "/lib/util.py changed since the snapshot (mtime or size)",
      },
    ]);
  });

  it("in strict mode, raises for a changed module and registers nothing", async () => {
    const { mem } = await frozenWorld();
    mem.utimes("/lib/util.py", 1_800_000_000);
    const s = system(mem, { strict: true });
    const error = await s.importModule("util").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotStaleError);
    expect(error).toMatchObject({ moduleName: "util", path: "/lib/util.py" });
    expect((error as Error).message).toBe(
      "/lib/util.py changed since the snapshot (mtime or size): 'util' is not served from /app/app.snapshot",
    );
    expect(s.modules.has("util")).toBe(false);
    // Unchanged modules are still served in strict mode.
    await s.importModule("pkg.helper");
    expect(s.modules.get("pkg.helper")!.spec?.loaderKind).toBe("SnapshotImporter");
  });

  it("notices by content in hash mode (same size, same mtime, other bytes)", async () => {
    const { mem } = await frozenWorld("hash");
    const text = FILES["/lib/util.py"].replace("'a'", "'z'");
    mem.writeFile("/lib/util.py", new TextEncoder().encode(text));
    setAllMtimes(mem, "/lib");
    const s = system(mem, { strict: true });
    await expect(s.importModule("util")).rejects.toThrow("/lib/util.py changed since the snapshot (content)");
  });

  it("declines when a file that would shadow the module appears earlier on the path", async () => {
    const { mem } = await frozenWorld();
    mem.writeFile("/app/util.py", new TextEncoder().encode("U = 'shadow'\n"));
    mem.utimes("/app", 1_800_000_000);
    const s = system(mem);
    const events = trace(s);
    await s.importModule("util");
    expect(namespace(s.modules.get("util")!)).toEqual(['U={"value":"shadow"}']);
    expect(events[0]).toMatchObject({
      action: "stale",
      reason: 'path entry "/app" changed since the snapshot (files named like util)',
    });
  });

  it("keeps serving when unrelated files come and go (the directory is listed again once)", async () => {
    const { mem } = await frozenWorld();
    mem.writeFile("/app/notes.txt", new TextEncoder().encode("hello\n"));
    mem.writeFile("/app/utility.py", new TextEncoder().encode("X = 1\n"));
    mem.utimes("/app", 1_800_000_000);
    const counting = new CountingFileSystem(mem);
    const s = system(counting);
    await s.importModule("main");
    for (const name of ["main", "pkg", "util"])
      expect(s.modules.get(name)!.spec?.loaderKind).toBe("SnapshotImporter");
    expect(counting.counts.readdir).toBe(1);
  });

  it("does not apply on another search path (not an error, even in strict mode)", async () => {
    const { mem } = await frozenWorld();
    const s = createImportSystem({ fs: mem, plugins: [snapshot(SNAPSHOT_FILE, { strict: true })] });
    s.path.push("/lib", "/app");
    const events = trace(s);
    await s.importModule("util");
    expect(s.modules.get("util")!.spec?.loaderKind).toBe("SourceFileLoader");
    expect(events[0]).toMatchObject({ action: "elsewhere" });
    // Entries after the one that held the module do not matter.
    const t = createImportSystem({ fs: mem, plugins: [snapshot(SNAPSHOT_FILE)] });
    t.path.push("/app", "/lib", "/somewhere-else");
    await t.importModule("util");
    expect(t.modules.get("util")!.spec?.loaderKind).toBe("SnapshotImporter");
  });

  it("trusts the snapshot blindly when validation is off", async () => {
    const { mem } = await frozenWorld();
    mem.writeFile("/lib/util.py", new TextEncoder().encode("U = 'changed'\n"));
    const counting = new CountingFileSystem(mem);
    const s = system(counting, { validate: false });
    await s.importModule("util");
    expect(s.modules.get("util")!.spec?.loaderKind).toBe("SnapshotImporter");
    expect(counting.counts.stat).toBe(0);
  });

  it("a damaged code entry is an ImportError naming snapshot and module; nothing is left registered", async () => {
    const { mem, result } = await frozenWorld();
    const snap = decodeSnapshot(result.data, "x");
    const util = snap.modules.get("util")!;
    const data = result.data.slice();
    const codeStart = data.length - snap.code.length;
    data[codeStart + util.code.offset + 3]! ^= 0x20;
    mem.writeFile(SNAPSHOT_FILE, data);
    setAllMtimes(mem, "/app");
    const s = system(mem);
    const error = await s.importModule("util").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotError);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toBe(
      `${SNAPSHOT_FILE}: module util: code CRC-32 mismatch (the code was changed or damaged)`,
    );
    expect(s.modules.has("util")).toBe(false);
  });

  it("refuses a snapshot made for another profile, or a missing one, when the system is made", async () => {
    const { mem } = await frozenWorld();
    const other = () =>
      createImportSystem({ fs: mem, profile: "cpython-3.12", plugins: [snapshot(SNAPSHOT_FILE)] });
    expect(other).toThrow(PluginError);
    expect(other).toThrow("made for profile cpython-3.11; this system runs cpython-3.12");
    const missing = () => createImportSystem({ fs: mem, plugins: [snapshot("/nope.snapshot")] });
    expect(missing).toThrow("/nope.snapshot: cannot be read (ENOENT)");
  });

  it("is first in the importer list", async () => {
    const { mem } = await frozenWorld();
    expect(system(mem).sys.metaPath.map((i) => i.pyType)).toEqual([
      "SnapshotImporter",
      "BuiltinImporter",
      "FrozenImporter",
      "PathFinder",
    ]);
  });

  it("getCode, isPackage, getSource", async () => {
    const { mem } = await frozenWorld();
    const s = system(mem);
    const importer = s.sys.metaPath[0] as import("../../src/importers/snapshot-importer.js").SnapshotImporter;
    expect(importer.isPackage("pkg")).toBe(true);
    expect(importer.isPackage("pkg.sub")).toBe(false);
    expect(importer.getSource("pkg")).toBeNull();
    expect(importer.getCode("util").kind).toBe("executor");
    expect(() => importer.getCode("nope")).toThrow("'nope' is not in the snapshot /app/app.snapshot");
  });
});

describe("snapshot header", () => {
  it("is 32 bytes and the file is exactly header + index + code", async () => {
    const { result } = await frozenWorld();
    const view = new DataView(result.data.buffer, result.data.byteOffset);
    expect(HEADER_SIZE + view.getUint32(12, true) + view.getUint32(20, true)).toBe(result.data.length);
    expect(view.getUint32(24, true)).toBe(5);
    const snap = decodeSnapshot(result.data, "x");
    const again = encodeSnapshot({
      index: {
        profile: snap.index.profile,
        codeFormat: snap.index.codeFormat,
        identity: snap.index.identity,
      },
      modules: snap.index.modules.map(({ code, ...m }) => ({
        ...m,
        code:
          code.kind === "executor"
            ? { kind: code.kind, filename: code.filename }
            : { kind: code.kind, filename: code.filename, version: code.version },
        codeBytes: snap.code.slice(code.offset, code.offset + code.length),
      })),
    });
    expect(again).toEqual(result.data);
  });
});
