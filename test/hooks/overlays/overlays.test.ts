/** Overlays at run time: loadOverlay, lazy attributes, staleness, read counts, and where overlays come from. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildOverlayPyc, encodeMarshal } from "../../../src/bytecode/index.js";
import { createImportSystem } from "../../../src/composition-root.js";
import { AttributeError, ImportError } from "../../../src/core/errors.js";
import { CountingFileSystem } from "../../../src/core/fs/counting-fs.js";
import { MemFileSystem } from "../../../src/core/fs/mem-fs.js";
import { OverlayError } from "../../../src/core/module.js";
import { PySet, PyTuple } from "../../../src/core/values.js";
import { encodeImportkitPyc } from "../../../src/hooks/importkit-pyc.js";
import { buildImportkitOverlayPyc, loadOverlay } from "../../../src/hooks/overlays/index.js";
import { buildZip } from "../../zip/support/zip-writer.js";

const code = (text: string) =>
  encodeMarshal(["importkit", 1, "source", text], { version: 4, layout: "3.11" });

function ikPyc(module: string, overlays: { name: unknown; text: string }[]): Uint8Array {
  const plain = encodeImportkitPyc(module, { hash: null, mtime: 0, sourceSize: 0 });
  return buildOverlayPyc({
    header: plain.subarray(0, 16),
    module: plain.subarray(16),
    overlays: overlays.map((o) => ({ name: o.name as never, code: code(o.text) })),
  });
}

function world(files: Record<string, string | Uint8Array>) {
  const mem = MemFileSystem.fromFiles(files);
  const fs = new CountingFileSystem(mem);
  const system = createImportSystem({ fs });
  system.path.push("/lib");
  return { mem, fs, system };
}

describe("loadOverlay", () => {
  it("runs an overlay once (1), then not again (2), again with forceReload; __overlays__ appears on first load", async () => {
    const pyc = ikPyc("X = 1\nN = 0\n", [
      { name: "extras", text: "Y = X\nX = 10\n" },
      { name: 7, text: "SEVEN = 7\n" },
      { name: ["a", 1], text: "T = 'tuple'\n" },
    ]);
    const { system } = world({ "/lib/m.pyc": pyc });
    const m = await system.importModule("m");
    expect(m.dict.has("__overlays__")).toBe(false);
    expect(m.getAttr("__overlays_available__")).toEqual(new PyTuple(["extras", 7n, new PyTuple(["a", 1n])]));
    expect(await m.loadOverlay("extras")).toBe(1);
    expect(m.getAttr("Y")).toBe(1n);
    expect(m.getAttr("X")).toBe(10n);
    const loaded = m.getAttr("__overlays__");
    expect(loaded).toBeInstanceOf(PySet);
    expect([...(loaded as PySet).items.values()]).toEqual(["extras"]);
    expect(await loadOverlay(m, "extras")).toBe(2);
    expect(m.getAttr("X")).toBe(10n);
    expect(await m.loadOverlay("extras", { forceReload: true })).toBe(1);
    expect(m.getAttr("Y")).toBe(10n);
    expect(await m.loadOverlay(7n)).toBe(1);
    expect(await m.loadOverlay(new PyTuple(["a", 1n]))).toBe(1);
    expect(m.getAttr("T")).toBe("tuple");
    expect((loaded as PySet).items.size).toBe(3);
  });

  it("unknown names and modules without overlays are OverlayErrors (ImportErrors)", async () => {
    const { system } = world({
      "/lib/m.pyc": ikPyc("X = 1\n", [{ name: "a", text: "A = 1\n" }]),
      "/lib/p.py": "X = 1\n",
    });
    const m = await system.importModule("m");
    await expect(m.loadOverlay("nope")).rejects.toThrow("module 'm' has no overlay 'nope'");
    await expect(m.loadOverlay("nope")).rejects.toBeInstanceOf(ImportError);
    const p = await system.importModule("p");
    await expect(p.loadOverlay("a")).rejects.toThrow(OverlayError);
    await expect(p.loadOverlay("a")).rejects.toThrow("module 'p' has no overlays");
    expect(p.dict.has("__overlays_available__")).toBe(false);
  });

  it("an overlay's imports go through the import system", async () => {
    const { system } = world({
      "/lib/m.pyc": ikPyc("X = 1\n", [{ name: "imp", text: "import helper\nfrom helper import H\n" }]),
      "/lib/helper.py": "H = 'h'\n",
    });
    const m = await system.importModule("m");
    expect(system.modules.has("helper")).toBe(false);
    expect(await m.loadOverlay("imp")).toBe(1);
    expect(m.getAttr("H")).toBe("h");
    expect(system.modules.has("helper")).toBe(true);
  });

  it("a failing overlay stays unloaded and its exception propagates", async () => {
    const { system } = world({
      "/lib/m.pyc": ikPyc("X = 1\n", [{ name: "bad", text: "import missing_mod\n" }]),
    });
    const m = await system.importModule("m");
    await expect(m.loadOverlay("bad")).rejects.toThrow("No module named 'missing_mod'");
    expect(m.dict.has("__overlays__")).toBe(false);
  });
});

describe("reads", () => {
  it("small file: the first load is one read (directory and code in the tail); the next ones none", async () => {
    const { fs, system } = world({
      "/lib/m.pyc": ikPyc("X = 1\n", [
        { name: "a", text: "A = 1\n" },
        { name: "b", text: "B = 2\n" },
      ]),
    });
    const m = await system.importModule("m");
    fs.reset();
    expect(await m.loadOverlay("a")).toBe(1);
    expect(fs.counts.read).toBe(1);
    expect(fs.counts.stat).toBe(1);
    expect(fs.counts.readFile).toBe(0);
    fs.reset();
    expect(await m.loadOverlay("b")).toBe(1);
    expect(fs.counts.read).toBe(0);
    expect(fs.counts.stat).toBe(1);
    fs.reset();
    expect(await m.loadOverlay("b")).toBe(2);
    expect(fs.total).toBe(0);
  });

  it("a directory bigger than 4 KiB: at worst 3 reads, then only the code's", async () => {
    const overlays = Array.from({ length: 400 }, (_, i) => ({
      name: `overlay_name_${i}_padding`,
      text: `V${i} = ${i}\n`,
    }));
    const { fs, system } = world({ "/lib/m.pyc": ikPyc("X = 1\n", overlays) });
    const m = await system.importModule("m");
    fs.reset();
    expect(await m.loadOverlay("overlay_name_0_padding")).toBe(1);
    expect(fs.counts.read).toBe(3);
    expect(m.getAttr("V0")).toBe(0n);
    fs.reset();
    expect(await m.loadOverlay("overlay_name_1_padding")).toBe(1);
    expect(fs.counts.read).toBe(1);
  });
});

describe("consistency", () => {
  it("a rewritten pyc (other mtime or size) is a stale-file error, not different code", async () => {
    const { mem, system } = world({ "/lib/m.pyc": ikPyc("X = 1\n", [{ name: "a", text: "A = 1\n" }]) });
    const m = await system.importModule("m");
    mem.writeFile("/lib/m.pyc", ikPyc("X = 1\n", [{ name: "a", text: "A = 'changed!'\n" }]));
    await expect(m.loadOverlay("a")).rejects.toThrow(
      "overlay file /lib/m.pyc changed since module 'm' was loaded",
    );
    expect(m.dict.has("A")).toBe(false);
  });

  it("same size, other mtime: stale too", async () => {
    const { mem, system } = world({ "/lib/m.pyc": ikPyc("X = 1\n", [{ name: "a", text: "A = 1\n" }]) });
    mem.utimes("/lib/m.pyc", 1_600_000_000);
    const m = await system.importModule("m");
    mem.utimes("/lib/m.pyc", 1_600_000_001);
    await expect(m.loadOverlay("a")).rejects.toBeInstanceOf(OverlayError);
  });
});

describe("lazy attributes", () => {
  it("('lazy', attr) runs on the first missing lookup; still missing → AttributeError; no recursion", async () => {
    const { system } = world({
      "/lib/m.pyc": ikPyc("X = 1\n", [
        { name: ["lazy", "big"], text: "big = 'loaded lazily'\n" },
        { name: ["lazy", "ghost"], text: "other = 1\n" },
        { name: ["lazy", "self"], text: "probe = self\n" },
      ]),
      "/lib/user.py": "from m import big\n",
    });
    const m = await system.importModule("m");
    expect(m.dict.has("big")).toBe(false);
    const user = await system.importModule("user");
    expect(user.getAttr("big")).toBe("loaded lazily");
    expect(await m.loadOverlay(new PyTuple(["lazy", "big"]))).toBe(2);
    expect(() => m.getAttr("ghost")).toThrow(AttributeError);
    expect(m.getAttr("other")).toBe(1n);
    expect(() => m.getAttr("ghost")).toThrow("module 'm' has no attribute 'ghost'");
    // The overlay looks itself up: no recursion, the overlay fails with NameError/AttributeError.
    expect(() => m.getAttr("self")).toThrow(AttributeError);
  });
});

describe("sources with overlay statements", () => {
  const source = "X = 1\nZ = 3\noverlay 'more'\nY = X\n";

  it("without a cache, the overlays stay in memory: no reads", async () => {
    const { fs, system } = world({ "/lib/s.py": source });
    system.sys.dontWriteBytecode = true;
    const s = await system.importModule("s");
    expect(s.getAttr("Z")).toBe(3n);
    expect(s.dict.has("Y")).toBe(false);
    fs.reset();
    expect(await s.loadOverlay("more")).toBe(1);
    expect(fs.total).toBe(0);
    expect(s.getAttr("Y")).toBe(1n);
  });

  it("with a cache, it is written in the overlay format and the overlays load from it", async () => {
    const { mem, fs, system } = world({ "/lib/s.py": source });
    mem.utimes("/lib/s.py", 1_700_000_000);
    system.sys.dontWriteBytecode = false;
    const s = await system.importModule("s");
    fs.reset();
    expect(await s.loadOverlay("more")).toBe(1);
    expect(fs.counts.read).toBe(1);
    expect(s.getAttr("Y")).toBe(1n);
    // A second import trusts the cache and finds the overlays in it.
    system.modules.delete("s");
    const again = await system.importModule("s");
    expect(again.getAttr("__overlays_available__")).toEqual(new PyTuple(["more"]));
    expect(await again.loadOverlay("more")).toBe(1);
  });

  it("buildImportkitOverlayPyc makes a sourceless module", async () => {
    const pyc = buildImportkitOverlayPyc(source, "s.py", { mtime: 0, sourceSize: 0 });
    const { system } = world({ "/lib/s.pyc": pyc });
    const s = await system.importModule("s");
    expect(s.getAttr("X")).toBe(1n);
    expect(await s.loadOverlay("more")).toBe(1);
    expect(s.getAttr("Y")).toBe(1n);
  });
});

const python = process.env.PYTHON || "python3";
const pythonIs311 =
  spawnSync(python, ["-I", "-S", "-c", "import sys; print(sys.version_info[:2] == (3, 11))"], {
    encoding: "utf8",
  }).stdout.trim() === "True";

/** CPython 3.11's magic number and the marshalled code objects of `parts`, compiled by `python`. */
function cpythonCode(parts: readonly string[]): { header: Uint8Array; codes: Uint8Array[] } {
  const script = [
    "import json, marshal, sys, importlib.util",
    "parts = json.loads(sys.stdin.read())",
    "sys.stdout.write(importlib.util.MAGIC_NUMBER.hex() + ' ' + ' '.join(marshal.dumps(compile(p, 'm.py', 'exec')).hex() for p in parts))",
  ].join("\n");
  const run = spawnSync(python, ["-I", "-S", "-c", script], {
    encoding: "utf8",
    input: JSON.stringify(parts),
  });
  const [magic, ...codes] = run.stdout
    .trim()
    .split(" ")
    .map((h) => Uint8Array.from(Buffer.from(h, "hex")));
  const header = new Uint8Array(16);
  header.set(magic!, 0);
  return { header, codes };
}

describe.skipIf(!pythonIs311)("CPython code objects", () => {
  it("a sourceless CPython pyc with overlays runs them on the bytecode runner", async () => {
    const { header, codes } = cpythonCode(["X = 1\n", "Y = X\nimport helper\n"]);
    const [module, overlay] = codes;
    const pyc = buildOverlayPyc({ header, module: module!, overlays: [{ name: "extra", code: overlay! }] });
    const { system } = world({ "/lib/m.pyc": pyc, "/lib/helper.py": "H = 1\n" });
    const m = await system.importModule("m");
    expect(m.getAttr("X")).toBe(1n);
    expect(await m.loadOverlay("extra")).toBe(1);
    expect(m.getAttr("Y")).toBe(1n);
    expect(system.modules.has("helper")).toBe(true);
  });

  it("a pyc member of a zip archive gets its overlays, read from the member's bytes (no more reads)", async () => {
    const { header, codes } = cpythonCode(["X = 1\n", "Y = X\nimport helper\n", "Z = 'lazy'\n"]);
    const [module, extra, lazy] = codes;
    const pyc = buildOverlayPyc({
      header,
      module: module!,
      overlays: [
        { name: "extra", code: extra! },
        { name: ["lazy", "Z"], code: lazy! },
      ],
    });
    const archive = buildZip({
      entries: [
        { name: "m.pyc", data: pyc },
        { name: "helper.py", data: "H = 1\n" },
      ],
    }).bytes;
    const mem = MemFileSystem.fromFiles({ "/lib.zip": archive });
    const fs = new CountingFileSystem(mem);
    const system = createImportSystem({ fs });
    system.path.push("/lib.zip");
    await system.importModule("helper");
    const m = await system.importModule("m");
    expect(m.getAttr("__file__")).toBe("/lib.zip/m.pyc");
    expect(m.getAttr("__overlays_available__")).toEqual(new PyTuple(["extra", new PyTuple(["lazy", "Z"])]));
    const readsAfterImport = fs.counts.read + fs.counts.readFile;
    expect(await m.loadOverlay("extra")).toBe(1);
    expect(m.getAttr("Y")).toBe(1n);
    expect(system.modules.has("helper")).toBe(true);
    expect(m.getAttr("Z")).toBe("lazy");
    expect(await m.loadOverlay("extra")).toBe(2);
    // The overlays come from the member's bytes, read at import; `import helper` finds it in sys.modules.
    expect(fs.counts.read + fs.counts.readFile).toBe(readsAfterImport);
  });

  it("a zip member whose overlay directory is damaged imports as CPython would, without overlays", async () => {
    const { header, codes } = cpythonCode(["X = 1\n", "Y = 2\n"]);
    const pyc = buildOverlayPyc({
      header,
      module: codes[0]!,
      overlays: [{ name: "extra", code: codes[1]! }],
    });
    // The directory's offset (the last 4 bytes) points past the file: no well-formed directory follows.
    const bad = pyc.slice();
    new DataView(bad.buffer).setUint32(bad.length - 4, bad.length + 100, true);
    const archive = buildZip({ entries: [{ name: "m.pyc", data: bad }] }).bytes;
    const system = createImportSystem({ fs: MemFileSystem.fromFiles({ "/lib.zip": archive }) });
    system.path.push("/lib.zip");
    const m = await system.importModule("m");
    expect(m.getAttr("X")).toBe(1n);
    expect(m.dict.has("__overlays_available__")).toBe(false);
    await expect(m.loadOverlay("extra")).rejects.toThrow(OverlayError);
  });
});
