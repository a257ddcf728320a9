/**
 * createResolver's resolveSpec on a small tree on the real disk: parents are resolved first and their
 * search locations become the child's parent path, as an import would make them, with nothing executed.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import { loadProfile } from "../../src/core/profile.js";
import { createResolver } from "../../src/resolve/create-resolver.js";
import type { Resolution } from "../../src/resolve/resolver.js";

const profile = loadProfile("cpython-3.11");
const extension = profile.extensionSuffixes[0]!; // ".cpython-311-<platform>.so"

/** Files of the tree (null: an empty directory). */
const TREE: Record<string, string | null> = {
  "top.py": "",
  "legacy.pyc": "",
  "pkg/__init__.py": "",
  "pkg/mod.py": "",
  [`pkg/fast${extension}`]: "",
  "pkg/sub/__init__.py": "",
  "pkg/sub/leaf.py": "",
  "both/__init__.py": "", // a package shadows the module beside it
  "both.py": "",
  "mixed/data.txt": "", // a directory without __init__ does not shadow a module
  "mixed.py": "",
  "ns/part.py": "", // a namespace package
  empty: null,
};

let root: string;
let entry: string;

beforeAll(() => {
  // realpath: on some systems tmpdir() is a symlink, and spec paths are taken as given.
  root = realpathSync(mkdtempSync(join(tmpdir(), "importkit-resolve-")));
  entry = join(root, "site");
  for (const [path, content] of Object.entries(TREE)) {
    const full = join(entry, path);
    if (content === null) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function newResolver() {
  return createResolver({ fs: new NodeFileSystem(), path: [entry], profile });
}

/** What a source module's spec says: `cached` is `__pycache__/<stem>.<tag>.pyc` beside the file. */
function source(file: string, locations: string[] | null = null): Omit<Resolution, "name"> {
  const dir = dirname(join(entry, file));
  const stem = file.slice(file.lastIndexOf("/") + 1).replace(/\.py$/, "");
  return {
    origin: join(entry, file),
    loader: "SourceFileLoader",
    submodule_search_locations: locations,
    cached: join(dir, "__pycache__", `${stem}.${profile.cacheTag}.pyc`),
  };
}

const MISSING = { origin: null, loader: null, submodule_search_locations: null, cached: null };

describe("createResolver().resolver.resolve", () => {
  it("finds modules, packages and submodules through their parents", async () => {
    const { resolver } = newResolver();
    const expectations: Record<string, Omit<Resolution, "name">> = {
      top: source("top.py"),
      pkg: source("pkg/__init__.py", [join(entry, "pkg")]),
      "pkg.mod": source("pkg/mod.py"),
      "pkg.sub": source("pkg/sub/__init__.py", [join(entry, "pkg/sub")]),
      "pkg.sub.leaf": source("pkg/sub/leaf.py"),
      both: source("both/__init__.py", [join(entry, "both")]),
      mixed: source("mixed.py"),
      "ns.part": source("ns/part.py"),
    };
    for (const [name, expected] of Object.entries(expectations)) {
      expect(await resolver.resolve(name), name).toEqual({ name, ...expected });
    }
  });

  it("reports extension modules, bytecode-only modules and namespace packages as CPython's find_spec does", async () => {
    const { resolver } = newResolver();
    expect(await resolver.resolve("pkg.fast")).toEqual({
      name: "pkg.fast",
      origin: join(entry, `pkg/fast${extension}`),
      loader: "ExtensionFileLoader",
      submodule_search_locations: null,
      cached: null,
    });
    // `_get_cached`: a .pyc origin is its own cache.
    expect(await resolver.resolve("legacy")).toEqual({
      name: "legacy",
      origin: join(entry, "legacy.pyc"),
      loader: "SourcelessFileLoader",
      submodule_search_locations: null,
      cached: join(entry, "legacy.pyc"),
    });
    // Any directory on the path is a namespace portion (loader None before module_from_spec).
    for (const name of ["ns", "empty"]) {
      expect(await resolver.resolve(name)).toEqual({
        name,
        origin: null,
        loader: null,
        submodule_search_locations: [join(entry, name)],
        cached: null,
      });
    }
  });

  it("finds nothing below a module or a missing parent, nor a missing name", async () => {
    const { resolver } = newResolver();
    for (const name of ["nothing", "pkg.missing", "top.child", "nothing.child", "pkg.sub.leaf.deeper"]) {
      expect(await resolver.resolve(name), name).toEqual({ name, ...MISSING });
    }
  });

  it("memoises until forget(), and sees new files after invalidateCaches()", async () => {
    const { resolver, system } = newResolver();
    expect((await resolver.resolve("late")).origin).toBeNull();
    writeFileSync(join(entry, "late.py"), "");
    try {
      expect((await resolver.resolve("late")).origin).toBeNull(); // memoised
      resolver.forget();
      system.invalidateCaches();
      expect(await resolver.resolve("late")).toEqual({ name: "late", ...source("late.py") });
    } finally {
      rmSync(join(entry, "late.py"));
    }
  });
});
