import { describe, expect, it } from "vitest";
import type { DirectoryFinder } from "../../src/hooks/directory-finder.js";
import { directoryWorld, setAllMtimes, writeKeepingMtimes } from "../support/directory-world.js";

function finderFor(world: ReturnType<typeof directoryWorld>, dir: string): DirectoryFinder {
  return world.pathFinder.finderFor(dir) as DirectoryFinder;
}

describe("DirectoryFinder", () => {
  it("finds modules and packages in CPython's order: package directory first, then extension, source, bytecode", () => {
    const world = directoryWorld({
      "/w/lib/mod.py": "",
      "/w/lib/mod.so": "",
      "/w/lib/pkg/__init__.py": "",
      "/w/lib/pkg.py": "",
      "/w/lib/lone.pyc": "",
    });
    const finder = finderFor(world, "/w/lib");
    expect(finder.findSpec("mod")!.loaderKind).toBe("ExtensionFileLoader");
    const pkg = finder.findSpec("pkg")!;
    expect(pkg.origin).toBe("/w/lib/pkg/__init__.py");
    expect(pkg.cached).toBe("/w/lib/pkg/__pycache__/__init__.cpython-311.pyc");
    expect(pkg.loaderKind).toBe("SourceFileLoader");
    expect(finder.findSpec("lone")!.loaderKind).toBe("SourcelessFileLoader");
    expect(finder.findSpec("lone")!.cached).toBe("/w/lib/lone.pyc");
    expect(finder.findSpec("missing")).toBeNull();
  });

  it("reports a directory without __init__ as a namespace portion, and a module file beats it", () => {
    const world = directoryWorld({ "/w/lib/ns/x.py": "", "/w/lib/both/y.py": "", "/w/lib/both.py": "" });
    const finder = finderFor(world, "/w/lib");
    const ns = finder.findSpec("ns")!;
    expect(ns.loader).toBeNull();
    expect(ns.submoduleSearchLocations).toMatchObject({ items: ["/w/lib/ns"] });
    expect(finder.findSpec("both")!.origin).toBe("/w/lib/both.py");
  });

  it("does not see a new file until the directory's mtime changes or caches are invalidated (CPython's staleness)", () => {
    const world = directoryWorld({ "/w/lib/a.py": "" });
    const finder = finderFor(world, "/w/lib");
    expect(finder.findSpec("late")).toBeNull();
    writeKeepingMtimes(world.mem, "/w/lib/late.py", "");
    expect(finder.findSpec("late")).toBeNull();
    finder.invalidateCaches();
    expect(finder.findSpec("late")!.origin).toBe("/w/lib/late.py");
    writeKeepingMtimes(world.mem, "/w/lib/later.py", "");
    world.mem.utimes("/w/lib", 1_700_000_100);
    expect(finder.findSpec("later")!.origin).toBe("/w/lib/later.py");
  });

  it("confirms listed candidates live, as CPython's stats do: a removed file is gone, a new __init__ makes a package", () => {
    const world = directoryWorld({ "/w/lib/gone.py": "", "/w/lib/ns/x.py": "" });
    const finder = finderFor(world, "/w/lib");
    expect(finder.findSpec("gone")).not.toBeNull();
    expect(finder.findSpec("ns")!.loader).toBeNull();
    world.mem.remove("/w/lib/gone.py");
    writeKeepingMtimes(world.mem, "/w/lib/ns/__init__.py", "");
    expect(finder.findSpec("gone")).toBeNull();
    expect(finder.findSpec("ns")!.origin).toBe("/w/lib/ns/__init__.py");
  });

  it("costs one stat per warm module lookup and two per package once listings are trusted", () => {
    const world = directoryWorld(
      { "/w/lib/mod.py": "", "/w/lib/pkg/__init__.py": "", "/w/lib/pkg/sub.py": "" },
      { racyWindowMs: -1 },
    );
    const finder = finderFor(world, "/w/lib");
    finder.findSpec("mod");
    finder.findSpec("pkg");
    world.fs.reset();
    finder.findSpec("mod");
    expect(world.fs.counts).toMatchObject({ stat: 1, readdir: 0 });
    world.fs.reset();
    finder.findSpec("pkg");
    expect(world.fs.counts).toMatchObject({ stat: 2, readdir: 0 });
    world.fs.reset();
    finder.findSpec("nothing");
    expect(world.fs.counts).toMatchObject({ stat: 1, readdir: 0 });
  });

  it("does not trust a listing taken in the same instant as the directory's last change", () => {
    const world = directoryWorld({ "/w/lib/mod.py": "" }, { racyWindowMs: 60_000 });
    const finder = finderFor(world, "/w/lib");
    setAllMtimes(world.mem, "/w"); // ctime is now: every listing is racy
    finder.findSpec("mod");
    world.fs.reset();
    finder.findSpec("mod");
    expect(world.fs.counts.readdir).toBe(1);
  });
});
