import { describe, expect, it } from "vitest";
import { NamespacePath } from "../../src/core/namespace-path.js";
import type { ModuleSpec } from "../../src/core/spec.js";
import { directoryWorld } from "../support/directory-world.js";

describe("PathFinder", () => {
  it("returns the first module along the path and caches one finder per entry", () => {
    const world = directoryWorld({ "/w/a/m.py": "", "/w/b/m.py": "" });
    world.sys.path = ["/w/a", "/w/b"];
    expect((world.pathFinder.findSpec("m", null, null) as ModuleSpec).origin).toBe("/w/a/m.py");
    expect([...world.sys.pathImporterCache.keys()]).toEqual(["/w/a"]);
  });

  it("caches None for entries no hook accepts, and drops them on invalidate_caches", () => {
    const world = directoryWorld({ "/w/file.txt": "x", "/w/a/m.py": "" });
    world.sys.path = ["/w/missing", "/w/file.txt", "/w/a"];
    world.pathFinder.findSpec("m", null, null);
    expect(world.sys.pathImporterCache.get("/w/missing")).toBeNull();
    expect(world.sys.pathImporterCache.get("/w/file.txt")).toBeNull();
    world.pathFinder.invalidateCaches();
    expect(world.sys.pathImporterCache.has("/w/missing")).toBe(false);
    expect(world.sys.pathImporterCache.has("/w/a")).toBe(true);
  });

  it("treats '' as the current directory", () => {
    const world = directoryWorld({ "/w/top.py": "" });
    world.sys.path = [""];
    expect((world.pathFinder.findSpec("top", null, null) as ModuleSpec).origin).toBe("/w/top.py");
    expect(world.sys.pathImporterCache.has("/w")).toBe(true);
  });

  it("joins namespace portions across entries into a live namespace path; a regular package wins", () => {
    const world = directoryWorld({ "/w/a/ns/x.py": "", "/w/b/ns/y.py": "", "/w/c/ns/__init__.py": "" });
    world.sys.path = ["/w/a", "/w/b"];
    const spec = world.pathFinder.findSpec("ns", null, null) as ModuleSpec;
    expect(spec.loader).toBeNull();
    expect(spec.origin).toBeNull();
    expect(spec.submoduleSearchLocations).toBeInstanceOf(NamespacePath);
    expect((spec.submoduleSearchLocations as NamespacePath).current).toEqual(["/w/a/ns", "/w/b/ns"]);
    world.sys.path.push("/w/c");
    expect((world.pathFinder.findSpec("ns", null, null) as ModuleSpec).origin).toBe("/w/c/ns/__init__.py");
  });

  it("recomputes a namespace path when sys.path changes", () => {
    const world = directoryWorld({ "/w/a/ns/x.py": "", "/w/b/ns/y.py": "" });
    world.sys.path = ["/w/a"];
    const ns = (world.pathFinder.findSpec("ns", null, null) as ModuleSpec)
      .submoduleSearchLocations as NamespacePath;
    expect(ns.entries()).toEqual(["/w/a/ns"]);
    world.sys.path.push("/w/b");
    expect(ns.entries()).toEqual(["/w/a/ns", "/w/b/ns"]);
  });
});
