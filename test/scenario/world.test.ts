import { describe, expect, it } from "vitest";
import type { Entry } from "yauzl";
import { fromBufferPromise } from "yauzl";
import { DEFAULT_MTIME } from "../../src/scenario/format.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { ScenarioWorld } from "../../src/scenario/world.js";

const ROOT = "/w";

function mtimeOf(world: ScenarioWorld, rel: string): number | undefined {
  const stat = world.fs.stat(world.absolute(rel));
  return stat === undefined ? undefined : stat.mtimeMs / 1000;
}

function text(world: ScenarioWorld, rel: string): string {
  return Buffer.from(world.fs.readFile(world.absolute(rel))).toString("utf8");
}

describe("ScenarioWorld: files", () => {
  it("writes text, base64 and empty directories under the root, creating parents", async () => {
    const world = await ScenarioWorld.create(
      {
        "a/b/c.py": "X = 1\n",
        "t.py": { text: "T = 'é'\n" },
        "raw.bin": { base64: "AAH/" },
        "empty/dir": { dir: true },
      },
      ROOT,
    );
    expect(text(world, "a/b/c.py")).toBe("X = 1\n");
    expect(text(world, "t.py")).toBe("T = 'é'\n");
    expect([...world.fs.readFile(world.absolute("raw.bin"))]).toEqual([0, 1, 255]);
    expect(world.fs.readdir(world.absolute("empty/dir"))).toEqual([]);
    expect(world.fs.cwd()).toBe(ROOT);
  });

  it("gives every file its explicit mtime or the default, and every directory (root included) the default", async () => {
    const world = await ScenarioWorld.create(
      { "lib/a.py": "", "lib/b.py": { text: "", mtime: 1600000000 } },
      ROOT,
    );
    expect(mtimeOf(world, "lib/a.py")).toBe(DEFAULT_MTIME);
    expect(mtimeOf(world, "lib/b.py")).toBe(1600000000);
    expect(mtimeOf(world, "lib")).toBe(DEFAULT_MTIME);
    expect(mtimeOf(world, "")).toBe(DEFAULT_MTIME);
  });

  it("keeps directory mtimes across a write unless the write gives one, and remembers explicit ones", async () => {
    const world = await ScenarioWorld.create(
      { "lib/a.py": "", "lib/pkg": { dir: true, mtime: 1700000500 } },
      ROOT,
    );
    expect(mtimeOf(world, "lib/pkg")).toBe(1700000500);
    await world.write({ "lib/new.py": "N = 1\n", "lib/pkg/sub.py": "" });
    expect(mtimeOf(world, "lib")).toBe(DEFAULT_MTIME);
    expect(mtimeOf(world, "lib/pkg")).toBe(1700000500);
    expect(mtimeOf(world, "lib/new.py")).toBe(DEFAULT_MTIME);
    await world.write({ lib: { dir: true, mtime: 1700000060 } });
    expect(mtimeOf(world, "lib")).toBe(1700000060);
    // A later `{"dir": true}` without mtime keeps the explicit one, as the oracle does.
    await world.write({ lib: { dir: true }, "lib/more.py": "" });
    expect(mtimeOf(world, "lib")).toBe(1700000060);
  });

  it("removes files and whole directories, forgetting explicit mtimes below them", async () => {
    const world = await ScenarioWorld.create(
      { "lib/a.py": "", "lib/pkg/x/y.py": "", "lib/pkg/x": { dir: true, mtime: 5 } },
      ROOT,
    );
    world.remove(["lib/a.py", "lib/pkg"]);
    expect(world.fs.stat(world.absolute("lib/a.py"))).toBeUndefined();
    expect(world.fs.stat(world.absolute("lib/pkg"))).toBeUndefined();
    expect(mtimeOf(world, "lib")).toBe(DEFAULT_MTIME);
    await world.write({ "lib/pkg/x/z.py": "" });
    expect(mtimeOf(world, "lib/pkg/x")).toBe(DEFAULT_MTIME);
  });

  it("refuses what the harness cannot do: removing a missing path, writing over a directory", async () => {
    const world = await ScenarioWorld.create({ "lib/a.py": "" }, ROOT);
    expect(() => world.remove(["lib/missing.py"])).toThrow(ScenarioError);
    await expect(world.write({ lib: "not a directory" })).rejects.toThrow(ScenarioError);
    await expect(world.write({ "lib/a.py/inner.py": "" })).rejects.toThrow(ScenarioError);
  });

  it("turns path entries into absolute ones, keeping the empty entry", async () => {
    const world = await ScenarioWorld.create({}, ROOT);
    expect(world.pathEntry("")).toBe("");
    expect(world.pathEntry("lib")).toBe("/w/lib");
    expect(world.pathEntry("bundle.zip/src")).toBe("/w/bundle.zip/src");
  });
});

interface ZipEntryInfo {
  name: string;
  method: number;
  /** DOS date and time fields: [year, month, day, hour, minute, second]. */
  stamp: number[];
  data: string;
}

async function readZip(bytes: Uint8Array): Promise<ZipEntryInfo[]> {
  const zip = await fromBufferPromise(Buffer.from(bytes), { lazyEntries: true });
  const out: ZipEntryInfo[] = [];
  for (;;) {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      zip.once("entry", resolve);
      zip.once("end", () => resolve(null));
      zip.once("error", reject);
      zip.readEntry();
    });
    zip.removeAllListeners();
    if (entry === null) break;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    const d = entry.lastModFileDate;
    const t = entry.lastModFileTime;
    out.push({
      name: entry.fileName,
      method: entry.compressionMethod,
      stamp: [(d >> 9) + 1980, (d >> 5) & 0xf, d & 0x1f, t >> 11, (t >> 5) & 0x3f, (t & 0x1f) * 2],
      data: Buffer.concat(chunks).toString("utf8"),
    });
  }
  return out;
}

describe("ScenarioWorld: zip archives", () => {
  it("writes sorted entries with implied directory entries, stored by default, stamped in UTC", async () => {
    const world = await ScenarioWorld.create(
      {
        "lib.zip": {
          zip: {
            "pkg/sub/m.py": "M = 1\n",
            "a.py": { text: "A\n", mtime: 1000000001 },
            "pkg/__init__.py": "",
          },
        },
      },
      ROOT,
    );
    const entries = await readZip(world.fs.readFile(world.absolute("lib.zip")));
    expect(entries.map((e) => e.name)).toEqual([
      "a.py",
      "pkg/",
      "pkg/__init__.py",
      "pkg/sub/",
      "pkg/sub/m.py",
    ]);
    expect(entries.every((e) => e.method === 0)).toBe(true);
    // 1700000000 is 2023-11-14 22:13:20 UTC; 1000000001 is 2001-09-09 01:46:41 UTC (DOS keeps even seconds).
    expect(entries.find((e) => e.name === "pkg/sub/m.py")!.stamp).toEqual([2023, 11, 14, 22, 13, 20]);
    expect(entries.find((e) => e.name === "a.py")!.stamp).toEqual([2001, 9, 9, 1, 46, 40]);
    expect(entries.find((e) => e.name === "pkg/sub/m.py")!.data).toBe("M = 1\n");
    expect(mtimeOf(world, "lib.zip")).toBe(DEFAULT_MTIME);
  });

  it("deflates file entries when asked, and leaves out directory entries with dir_entries: false", async () => {
    const world = await ScenarioWorld.create(
      {
        "flat.zip": {
          zip: { "ns/a.py": "A = 1\n", "reg/__init__.py": "R = 1\n" },
          compression: "deflated",
          dir_entries: false,
        },
        "d.zip": { zip: { "only/": { dir: true, mtime: 1700000100 }, "x.py": "" }, mtime: 1234 },
      },
      ROOT,
    );
    const flat = await readZip(world.fs.readFile(world.absolute("flat.zip")));
    expect(flat.map((e) => [e.name, e.method, e.data])).toEqual([
      ["ns/a.py", 8, "A = 1\n"],
      ["reg/__init__.py", 8, "R = 1\n"],
    ]);
    const withDir = await readZip(world.fs.readFile(world.absolute("d.zip")));
    expect(withDir.map((e) => e.name)).toEqual(["only/", "x.py"]);
    expect(withDir[0]!.stamp).toEqual([2023, 11, 14, 22, 15, 0]);
    expect(mtimeOf(world, "d.zip")).toBe(1234);
  });
});
