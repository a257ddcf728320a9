import { createFsFromVolume, Volume } from "memfs";
import { describe, expect, it } from "vitest";
import { MemFileSystem } from "../../../src/core/fs/mem-fs.js";
import { expectFsError, testFileSystem } from "./conformance.js";

testFileSystem("MemFileSystem", ({ cwdAtRoot }) => {
  const root = "/vol/root";
  const fs = MemFileSystem.fromFiles({ [root]: null }, cwdAtRoot ? root : "/");
  return {
    fs,
    root,
    setMtime: (path, seconds) => fs.utimes(path, seconds),
    symlink: (target, path) => fs.volume.symlinkSync(target, path),
    remove: (path) => fs.remove(path),
  };
});

const decode = (data: Uint8Array) => new TextDecoder().decode(data);

describe("MemFileSystem specifics", () => {
  it("builds a volume from files: text, bytes, empty directories, relative names against the cwd", () => {
    const fs = MemFileSystem.fromFiles(
      {
        "/lib/a.py": "x = 1\n",
        "/lib/b.pyc": new Uint8Array([0xa7, 0x0d]),
        "/lib/empty": null,
        "rel.py": "",
      },
      "/home/me",
    );
    expect(fs.cwd()).toBe("/home/me");
    expect(decode(fs.readFile("/lib/a.py"))).toBe("x = 1\n");
    expect([...fs.readFile("/lib/b.pyc")]).toEqual([0xa7, 0x0d]);
    expect(fs.readdir("/lib/empty")).toEqual([]);
    expect(fs.stat("/home/me/rel.py")?.kind).toBe("file");
  });

  it("defaults the cwd to / and never resolves against the real process.cwd()", () => {
    const fs = MemFileSystem.fromFiles({ "/a.py": "" });
    expect(fs.cwd()).toBe("/");
    expect(fs.stat("a.py")?.kind).toBe("file");
  });

  it("wraps a Volume or an IFs made from one", () => {
    const volume = Volume.fromJSON({ "/p/m.py": "pass\n" });
    expect(new MemFileSystem(volume).stat("/p/m.py")?.size).toBe(5);
    expect(new MemFileSystem(createFsFromVolume(volume)).readdir("/p")).toEqual([
      { name: "m.py", kind: "file" },
    ]);
  });

  it("sets mtimes in seconds, to the millisecond, after writes", () => {
    const fs = MemFileSystem.fromFiles({ "/a.py": "" });
    fs.utimes("/a.py", 1_600_000_000.123);
    expect(fs.stat("/a.py")?.mtimeMs).toBe(1_600_000_000_123);
    expectFsError(() => fs.utimes("/nope.py", 1), "ENOENT", "/nope.py");
  });

  it("removes files and whole trees", () => {
    const fs = MemFileSystem.fromFiles({ "/pkg/__init__.py": "", "/pkg/sub/m.py": "", "/a.py": "" });
    fs.remove("/a.py");
    fs.remove("/pkg");
    expect(fs.readdir("/")).toEqual([]);
    expectFsError(() => fs.remove("/pkg"), "ENOENT", "/pkg");
  });
});
