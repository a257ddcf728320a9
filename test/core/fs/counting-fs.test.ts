import { describe, expect, it } from "vitest";
import { CountingFileSystem } from "../../../src/core/fs/counting-fs.js";
import { MemFileSystem } from "../../../src/core/fs/mem-fs.js";
import { testFileSystem } from "./conformance.js";

// Counting must not change behaviour: the wrapper passes the whole suite too.
testFileSystem("CountingFileSystem over MemFileSystem", ({ cwdAtRoot }) => {
  const root = "/root";
  const mem = MemFileSystem.fromFiles({ [root]: null }, cwdAtRoot ? root : "/");
  return {
    fs: new CountingFileSystem(mem),
    root,
    setMtime: (path, seconds) => mem.utimes(path, seconds),
    symlink: (target, path) => mem.volume.symlinkSync(target, path),
    remove: (path) => mem.remove(path),
  };
});

describe("CountingFileSystem", () => {
  const zero = { stat: 0, readdir: 0, readFile: 0, read: 0, writeFile: 0, mkdir: 0 };

  it("counts each call by kind, failed calls included, and delegates", () => {
    const fs = new CountingFileSystem(MemFileSystem.fromFiles({ "/a.py": "abc" }));
    expect(fs.counts).toEqual(zero);
    expect(fs.stat("/a.py")?.size).toBe(3);
    expect(fs.stat("/missing")).toBeUndefined();
    expect(fs.readdir("/")).toHaveLength(1);
    expect(fs.readFile("/a.py")).toHaveLength(3);
    expect(() => fs.readFile("/missing")).toThrow();
    expect(fs.read("/a.py", 1, 1)).toEqual(new Uint8Array([0x62]));
    fs.mkdir("/d");
    fs.writeFile("/d/b.py", new Uint8Array());
    expect(fs.cwd()).toBe("/");
    expect(fs.counts).toEqual({ stat: 2, readdir: 1, readFile: 2, read: 1, writeFile: 1, mkdir: 1 });
    expect(fs.total).toBe(8);
  });

  it("returns a snapshot and resets to zero", () => {
    const fs = new CountingFileSystem(MemFileSystem.fromFiles({}));
    fs.stat("/");
    const snapshot = fs.counts;
    fs.stat("/");
    expect(snapshot.stat).toBe(1);
    fs.reset();
    expect(fs.counts).toEqual(zero);
    expect(fs.total).toBe(0);
  });
});
