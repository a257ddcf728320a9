import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../../../src/core/fs/node-fs.js";
import { testFileSystem } from "./conformance.js";

function makeRoot(): string {
  // realpath: the tmpdir may itself be a symlink, and the suite compares paths literally.
  return realpathSync(mkdtempSync(join(tmpdir(), "importkit-fs-")));
}

testFileSystem("NodeFileSystem", ({ cwdAtRoot }) => {
  const root = makeRoot();
  return {
    fs: new NodeFileSystem(cwdAtRoot ? root : undefined),
    root,
    setMtime: (path, seconds) => utimesSync(path, seconds, seconds),
    symlink: (target, path) => symlinkSync(target, path),
    remove: (path) => rmSync(path, { recursive: true }),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
});

describe("NodeFileSystem specifics", () => {
  it("follows process.cwd() when no cwd is given", () => {
    expect(new NodeFileSystem().cwd()).toBe(process.cwd());
  });

  it("reports FIFOs and other special files as 'other'", () => {
    const root = makeRoot();
    try {
      execFileSync("mkfifo", [`${root}/fifo`]);
      const fs = new NodeFileSystem();
      expect(fs.readdir(root)).toEqual([{ name: "fifo", kind: "other" }]);
      expect(fs.stat(`${root}/fifo`)?.kind).toBe("other");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("keeps the real disk's sub-millisecond mtime", () => {
    const root = makeRoot();
    try {
      utimesSync(root, 1_700_000_000, 1_700_000_000.25);
      expect(new NodeFileSystem().stat(root)?.mtimeMs).toBe(1_700_000_000_250);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
