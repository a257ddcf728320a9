/**
 * One behaviour for every FileSystem adapter: each adapter's test file runs this same suite against a
 * fresh, empty root directory (a temp dir on disk, a memfs volume), so memfs and the real disk cannot
 * drift apart. The expectations are what node:fs on Linux does, read through CPython's eyes (any stat
 * failure is "missing"; listing failures `_fill_cache` swallows are `undefined`).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { FileSystem } from "../../../src/core/fs/file-system.js";
import { FileSystemError } from "../../../src/core/fs/file-system.js";

export interface FileSystemFixture {
  readonly fs: FileSystem;
  /** An existing, empty directory (absolute) the suite works in. */
  readonly root: string;
  /** Set a path's mtime in seconds (utimes), outside the FileSystem interface. */
  setMtime(path: string, seconds: number): void;
  /** Create a symbolic link at `path` pointing to `target`. */
  symlink(target: string, path: string): void;
  /** Remove a file or directory tree. */
  remove(path: string): void;
  dispose?(): void;
}

/** Makes a fresh fixture; with `cwdAtRoot` the file system's cwd must be the fixture's root. */
export type FileSystemFixtureFactory = (options: { cwdAtRoot: boolean }) => FileSystemFixture;

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
/** Long enough for the real disk's timestamp granularity (a jiffy) to tick. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

export function expectFsError(call: () => unknown, code: string, path: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(FileSystemError);
  expect(thrown).toMatchObject({ code, path });
}

export function testFileSystem(name: string, makeFixture: FileSystemFixtureFactory): void {
  describe(`FileSystem conformance: ${name}`, () => {
    let fixture: FileSystemFixture | undefined;
    afterEach(() => {
      fixture?.dispose?.();
      fixture = undefined;
    });

    /** A fixture with `a.py` ("hello world"), `pkg/` holding `pkg/__init__.py` (""), and `empty/`. */
    function world(cwdAtRoot = false) {
      fixture = makeFixture({ cwdAtRoot });
      const { fs, root } = fixture;
      fs.writeFile(`${root}/a.py`, bytes("hello world"));
      fs.mkdir(`${root}/pkg`);
      fs.writeFile(`${root}/pkg/__init__.py`, new Uint8Array());
      fs.mkdir(`${root}/empty`);
      return fixture;
    }

    describe("stat", () => {
      it("describes a file", () => {
        const { fs, root } = world();
        const stat = fs.stat(`${root}/a.py`);
        expect(stat).toMatchObject({ kind: "file", size: 11 });
        expect(stat?.mtimeMs).toBeGreaterThan(0);
        expect(stat?.ctimeMs).toBeGreaterThan(0);
      });

      it("describes a directory", () => {
        const { fs, root } = world();
        expect(fs.stat(`${root}/pkg`)?.kind).toBe("dir");
        expect(fs.stat(root)?.kind).toBe("dir");
      });

      it("reports missing paths as undefined, whatever the reason", () => {
        const { fs, root } = world();
        expect(fs.stat(`${root}/nope.py`)).toBeUndefined();
        expect(fs.stat(`${root}/nope/x.py`)).toBeUndefined();
        expect(fs.stat(`${root}/a.py/x.py`)).toBeUndefined(); // ENOTDIR
        expect(fs.stat(`${root}/${"x".repeat(5000)}`)).toBeUndefined(); // ENAMETOOLONG on disk
        expect(fs.stat("")).toBeUndefined(); // os.stat("") raises FileNotFoundError
      });

      it("follows symlinks", () => {
        const { fs, root, symlink } = world();
        symlink(`${root}/a.py`, `${root}/link.py`);
        symlink(`${root}/pkg`, `${root}/linkdir`);
        symlink(`${root}/gone`, `${root}/dangling`);
        expect(fs.stat(`${root}/link.py`)).toMatchObject({ kind: "file", size: 11 });
        expect(fs.stat(`${root}/linkdir`)?.kind).toBe("dir");
        expect(fs.stat(`${root}/dangling`)).toBeUndefined();
      });
    });

    describe("readdir", () => {
      it("lists entries with their kinds from the listing", () => {
        const { fs, root, symlink } = world();
        symlink(`${root}/a.py`, `${root}/link.py`);
        const entries = fs.readdir(root)?.sort((x, y) => x.name.localeCompare(y.name));
        expect(entries).toEqual([
          { name: "a.py", kind: "file" },
          { name: "empty", kind: "dir" },
          { name: "link.py", kind: "symlink" },
          { name: "pkg", kind: "dir" },
        ]);
        expect(fs.readdir(`${root}/empty`)).toEqual([]);
      });

      it("is undefined for a missing path or a file", () => {
        const { fs, root } = world();
        expect(fs.readdir(`${root}/nope`)).toBeUndefined();
        expect(fs.readdir(`${root}/a.py`)).toBeUndefined();
        expect(fs.readdir(`${root}/a.py/x`)).toBeUndefined();
      });
    });

    describe("readFile", () => {
      it("returns the whole file", () => {
        const { fs, root } = world();
        expect(text(fs.readFile(`${root}/a.py`))).toBe("hello world");
        expect(fs.readFile(`${root}/pkg/__init__.py`)).toHaveLength(0);
      });

      it("throws FileSystemError with the code and the path", () => {
        const { fs, root } = world();
        expectFsError(() => fs.readFile(`${root}/nope.py`), "ENOENT", `${root}/nope.py`);
        expectFsError(() => fs.readFile(`${root}/pkg`), "EISDIR", `${root}/pkg`);
        expectFsError(() => fs.readFile(`${root}/a.py/x`), "ENOTDIR", `${root}/a.py/x`);
      });
    });

    describe("read", () => {
      it("reads a range, short at the end of the file", () => {
        const { fs, root } = world();
        const path = `${root}/a.py`;
        expect(text(fs.read(path, 0, 5))).toBe("hello");
        expect(text(fs.read(path, 6, 5))).toBe("world");
        expect(text(fs.read(path, 6, 100))).toBe("world");
        expect(fs.read(path, 11, 4)).toHaveLength(0);
        expect(fs.read(path, 50, 4)).toHaveLength(0);
        expect(fs.read(path, 3, 0)).toHaveLength(0);
      });

      it("throws FileSystemError with the code and the path", () => {
        const { fs, root } = world();
        expectFsError(() => fs.read(`${root}/nope.py`, 0, 4), "ENOENT", `${root}/nope.py`);
        expectFsError(() => fs.read(`${root}/pkg`, 0, 4), "EISDIR", `${root}/pkg`);
        expectFsError(() => fs.read(`${root}/a.py`, -1, 4), "EINVAL", `${root}/a.py`);
        expectFsError(() => fs.read(`${root}/a.py`, 0, 1.5), "EINVAL", `${root}/a.py`);
      });
    });

    describe("writeFile", () => {
      it("creates and replaces files", () => {
        const { fs, root } = world();
        fs.writeFile(`${root}/new.py`, bytes("x = 1\n"));
        expect(text(fs.readFile(`${root}/new.py`))).toBe("x = 1\n");
        fs.writeFile(`${root}/a.py`, bytes("bye"));
        expect(fs.stat(`${root}/a.py`)?.size).toBe(3);
        expect(text(fs.readFile(`${root}/a.py`))).toBe("bye");
      });

      it("creates no directories and refuses directories", () => {
        const { fs, root } = world();
        expectFsError(() => fs.writeFile(`${root}/no/b.py`, bytes("")), "ENOENT", `${root}/no/b.py`);
        expectFsError(() => fs.writeFile(`${root}/pkg`, bytes("")), "EISDIR", `${root}/pkg`);
      });
    });

    describe("mkdir", () => {
      it("creates parents and accepts an existing directory", () => {
        const { fs, root } = world();
        fs.mkdir(`${root}/x/y/z`);
        expect(fs.stat(`${root}/x/y/z`)?.kind).toBe("dir");
        fs.mkdir(`${root}/x/y`);
        expect(fs.readdir(`${root}/x/y`)).toEqual([{ name: "z", kind: "dir" }]);
      });

      it("refuses a file in the way", () => {
        const { fs, root } = world();
        expectFsError(() => fs.mkdir(`${root}/a.py`), "EEXIST", `${root}/a.py`);
        expectFsError(() => fs.mkdir(`${root}/a.py/sub`), "ENOTDIR", `${root}/a.py/sub`);
      });
    });

    describe("ctime", () => {
      it("moves when a directory gains or loses an entry", async () => {
        const { fs, root, remove } = world();
        const dir = `${root}/pkg`;
        const before = fs.stat(dir)!.ctimeMs!;
        await tick();
        fs.writeFile(`${dir}/mod.py`, bytes(""));
        const added = fs.stat(dir)!.ctimeMs!;
        expect(added).toBeGreaterThan(before);
        await tick();
        remove(`${dir}/mod.py`);
        expect(fs.stat(dir)!.ctimeMs!).toBeGreaterThan(added);
      });

      it("does not move when a file inside changes", async () => {
        const { fs, root } = world();
        const before = fs.stat(`${root}/pkg`)!.ctimeMs!;
        await tick();
        fs.writeFile(`${root}/pkg/__init__.py`, bytes("changed"));
        expect(fs.stat(`${root}/pkg`)!.ctimeMs).toBe(before);
      });

      it("moves when the directory's mtime is set, and the mtime is what was set", async () => {
        const { fs, root, setMtime } = world();
        const dir = `${root}/pkg`;
        const before = fs.stat(dir)!.ctimeMs!;
        await tick();
        setMtime(dir, 1_700_000_123.5);
        const after = fs.stat(dir)!;
        expect(after.mtimeMs).toBe(1_700_000_123_500);
        expect(after.ctimeMs).toBeGreaterThan(before);
      });
    });

    describe("cwd", () => {
      it("is the directory relative paths are taken against", () => {
        const { fs, root } = world(true);
        expect(fs.cwd()).toBe(root);
        expect(fs.stat("a.py")?.kind).toBe("file");
        expect(text(fs.readFile("a.py"))).toBe("hello world");
        expect(fs.readdir("pkg")).toEqual([{ name: "__init__.py", kind: "file" }]);
        expect(fs.stat("")).toBeUndefined();
      });
    });
  });
}
