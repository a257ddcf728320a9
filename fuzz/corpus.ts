/**
 * The seed inputs: every `.pyc` under `<corpus>/pyc/` and every marshal blob (`.bin`) under `<corpus>/marshal/`,
 * in sorted order, with the CPython version their directory names (which picks a raw blob's code layout and
 * the loader leg's profile). The corpus is `test/fixtures/corpus/` when present, else the shared
 * `<repo>/../shared/corpus/`, or `--corpus DIR`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MemFileSystem, type MemFiles } from "../src/core/fs/mem-fs.js";
import { buildZip } from "../src/scenario/file-content.js";
import { freeze } from "../src/snapshot/freeze.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface SeedFile {
  /** Relative to the corpus root, e.g. `pyc/3.11/ints.pyc`. */
  readonly name: string;
  readonly kind: "pyc" | "raw";
  /** "3.6" … "3.14", from the directory. */
  readonly version: string;
  readonly bytes: Uint8Array;
}

export function defaultCorpusDir(): string {
  const fixture = join(repoRoot, "test", "fixtures", "corpus");
  if (existsSync(join(fixture, "pyc"))) return fixture;
  return resolve(repoRoot, "..", "shared", "corpus");
}

function walk(dir: string, suffix: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, suffix, out);
    else if (name.endsWith(suffix)) out.push(full);
  }
}

export function loadCorpus(root: string): SeedFile[] {
  const paths: string[] = [];
  walk(join(root, "pyc"), ".pyc", paths);
  walk(join(root, "marshal"), ".bin", paths);
  return paths.map((p) => ({
    name: relative(root, p),
    kind: p.endsWith(".pyc") ? "pyc" : "raw",
    version: basename(dirname(p)),
    bytes: new Uint8Array(readFileSync(p)),
  }));
}

// ---- snapshot seeds --------------------------------------------------------------------------------

/** Every file and directory of a snapshot seed's world has this mtime (seconds), unless it says otherwise. */
export const SNAPSHOT_MTIME = 1_700_000_000;

/** A snapshot the snapshot leg mutates, and the world it was frozen in (rebuilt, identical, for every input). */
export interface SnapshotSeed {
  readonly name: string;
  readonly files: MemFiles;
  /** Files whose mtime is not {@link SNAPSHOT_MTIME} (a source a cached pyc's header names). */
  readonly mtimes: Readonly<Record<string, number>>;
  readonly path: readonly string[];
  /** The snapshot file's bytes. */
  readonly bytes: Uint8Array;
  /** The modules it holds, sorted. */
  readonly frozen: readonly string[];
}

/** A seed's world: its files, every mtime as when the snapshot was made. */
export function snapshotWorld(seed: Pick<SnapshotSeed, "files" | "mtimes">): MemFileSystem {
  const mem = MemFileSystem.fromFiles(seed.files);
  const stamp = (dir: string) => {
    for (const entry of mem.readdir(dir) ?? []) {
      const path = `${dir === "/" ? "" : dir}/${entry.name}`;
      if (entry.kind === "dir") stamp(path);
      else mem.utimes(path, seed.mtimes[path] ?? SNAPSHOT_MTIME);
    }
    mem.utimes(dir, SNAPSHOT_MTIME);
  };
  stamp("/");
  return mem;
}

/** The 3.11 pycs of the corpus that run under the default executor, tried in this order. */
const SNAPSHOT_PYCS = ["ints", "refs", "strings", "stdlib.colorsys", "posonly_walrus", "except_star"];

/**
 * The snapshot leg's seeds, the same in every process: small apps frozen in a MemFileSystem — packages,
 * subpackages and relative imports, a module further down the path, a zip archive (modules, a package, a
 * lone pyc member), real CPython 3.11 pycs from the corpus (sourceless, and one cached beside the source its
 * header names), the same app frozen by content ("hash"), one module, and no module at all. A pyc that does
 * not import under the default executor is left out.
 */
export async function loadSnapshotSeeds(corpus: readonly SeedFile[]): Promise<SnapshotSeed[]> {
  const pycs = new Map<string, Uint8Array>();
  for (const name of SNAPSHOT_PYCS) {
    const file = corpus.find((f) => f.name === join("pyc", "3.11", `${name}.pyc`));
    if (file) pycs.set(name, file.bytes);
  }
  const seeds: SnapshotSeed[] = [];
  const add = async (
    name: string,
    files: MemFiles,
    path: readonly string[],
    entries: readonly string[],
    options: { identity?: "stamp" | "hash"; mtimes?: Record<string, number> } = {},
  ) => {
    const seed = { files, mtimes: options.mtimes ?? {} };
    const fs = snapshotWorld(seed);
    const result = await freeze({ fs, path, entries, identity: options.identity ?? "stamp" });
    if (result.leftToPath.length > 0)
      throw new Error(`snapshot seed ${name}: not frozen: ${JSON.stringify(result.leftToPath)}`);
    seeds.push({ name, ...seed, path, bytes: result.data, frozen: result.frozen });
  };
  const ints = pycs.get("ints");
  const zip = await buildZip({
    zip: {
      "zmod.py": "Z = 'zipped'\nfrom zpkg import q\n",
      "zpkg/__init__.py": "from . import q\nP = q.Q\n",
      "zpkg/q.py": "Q = (1, 2.5, b'q', None)\n",
      ...(ints ? { "zlone.pyc": { base64: Buffer.from(ints).toString("base64") } } : {}),
    },
    compression: "deflated",
  });
  const app: MemFiles = {
    "/app/main.py":
      "import pkg.sub\nfrom pkg import helper\nimport util\nimport zmod\nimport zpkg\nVALUE = [1, 'main']\n",
    "/app/pkg/__init__.py": "'''The package.'''\nX = 'pkg'\n",
    "/app/pkg/sub.py": "from . import helper\nfrom .inner import deep\nY = helper.H\n",
    "/app/pkg/helper.py": "H = (1, 2.5, b'x', -0.0, 123456789012345678901234567890, ...)\n",
    "/app/pkg/inner/__init__.py": "",
    "/app/pkg/inner/deep.py": "from .. import helper\nfrom ..helper import H\nD = {'d': H}\n",
    "/app/lib.zip": zip,
    "/lib/util.py":
      "U = {'a': [1, None], 'b': {1, 2}}\nclass C:\n    '''doc'''\ndef f(a=1):\n    pass\ntry:\n    import nothere\nexcept ImportError:\n    N = None\n",
  };
  const appPath = ["/app", "/lib", "/app/lib.zip"];
  const appEntries = ["main", ...(ints ? ["zlone"] : [])];
  await add("app", app, appPath, appEntries);
  await add("app-hash", app, appPath, appEntries, { identity: "hash" });
  const sourceless: MemFiles = {};
  for (const [name, bytes] of pycs) {
    const files = { [`/app/${name.replace(/[.-]/g, "_")}.pyc`]: bytes };
    const fs = snapshotWorld({ files, mtimes: {} });
    try {
      await freeze({ fs, path: ["/app"], entries: [name.replace(/[.-]/g, "_")] });
      Object.assign(sourceless, files);
    } catch {
      // not in the executor's subset
    }
  }
  if (ints) {
    // A source and its cached pyc: the pyc's header names the source's mtime and size.
    const view = new DataView(ints.buffer, ints.byteOffset, ints.byteLength);
    const size = view.getUint32(12, true);
    sourceless["/app/cached.py"] = `#${"x".repeat(Math.max(0, size - 2))}\n`;
    sourceless["/app/__pycache__/cached.cpython-311.pyc"] = ints;
  }
  const pycEntries = Object.keys(sourceless)
    .filter((p) => !p.includes("__pycache__"))
    .map((p) => p.slice("/app/".length).replace(/\.pyc?$/, ""));
  if (ints) {
    const mtime = new DataView(ints.buffer, ints.byteOffset, ints.byteLength).getUint32(8, true);
    await add("pycs", sourceless, ["/app"], pycEntries, { mtimes: { "/app/cached.py": mtime } });
  }
  await add("one", { "/app/one.py": "A = 1\n" }, ["/app"], ["one"]);
  await add("empty", { "/app/one.py": "A = 1\n" }, ["/app"], []);
  return seeds;
}
