/**
 * The shared conformance suite every file hook runs through (unstorage-style): a directory finder
 * holding only the hook under test must find a module and a package by the hook's suffixes, produce
 * CPython-shaped specs, and its loader must load them — or fail loudly — as the case says.
 */
import { describe, expect, it } from "vitest";
import { ImportEvents } from "../../src/core/events.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { ImportSystem } from "../../src/core/import-system.js";
import type { FileHook } from "../../src/core/interfaces.js";
import { loadProfile } from "../../src/core/profile.js";
import { SysState } from "../../src/core/sys-state.js";
import { CodeRunner } from "../../src/exec/bytecode/index.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";
import { directoryPathHook } from "../../src/hooks/directory-path-hook.js";
import { FileHookRegistry } from "../../src/hooks/file-hook-registry.js";
import type { LoaderEnvironment } from "../../src/hooks/loader-environment.js";
import { LocationCache } from "../../src/hooks/location-cache.js";
import { PathFinder } from "../../src/importers/path-finder.js";

export interface FileHookCase {
  /** The loader's CPython class name. */
  readonly loader: string;
  /** File content for `mod<suffix>` and `pkg/__init__<suffix>`. */
  readonly content: string | Uint8Array;
  /** `__cached__` expected for a file at `path` (CPython's `_get_cached`). */
  readonly cached: (path: string) => string | null;
  /** What loading gives: the module's attributes beyond the dunders, or the error it must raise. */
  readonly load: { readonly attrs: readonly string[] } | { readonly error: RegExp };
}

export function testFileHook(
  name: string,
  makeHook: (env: LoaderEnvironment) => FileHook,
  expected: FileHookCase,
): void {
  describe(`file hook conformance: ${name}`, () => {
    const world = () => {
      const profile = loadProfile("cpython-3.11");
      const sys = new SysState();
      const events = new ImportEvents();
      const probe = makeHook({
        fs: MemFileSystem.fromFiles({}),
        executor: new ScenarioExecutor(),
        bytecode: new CodeRunner(),
        profile,
        sys,
        events,
      });
      const suffix = probe.suffixes[0]!;
      const fs = MemFileSystem.fromFiles({
        [`/lib/mod${suffix}`]: expected.content,
        [`/lib/pkg/__init__${suffix}`]: expected.content,
      });
      const env: LoaderEnvironment = {
        fs,
        executor: new ScenarioExecutor(),
        bytecode: new CodeRunner(),
        profile,
        sys,
        events,
      };
      const hook = makeHook(env);
      sys.pathHooks = [
        directoryPathHook(fs, new FileHookRegistry([hook]), new LocationCache(fs), profile, events),
      ];
      sys.path = ["/lib"];
      sys.metaPath = [new PathFinder(sys, fs, events)];
      const system = new ImportSystem({ fs, profile, executor: env.executor, sys, events });
      return { hook, suffix, system };
    };

    it("names itself and claims dotted suffixes", () => {
      const { hook } = world();
      expect(hook.name).toMatch(/^[a-z][\w-]*$/);
      expect(hook.suffixes.length).toBeGreaterThan(0);
      for (const suffix of hook.suffixes) expect(suffix.startsWith(".")).toBe(true);
    });

    it("finds a module and a package with CPython-shaped specs", async () => {
      const { suffix, system } = world();
      const mod = await system.findSpec("mod", null, null);
      expect(mod).toMatchObject({
        name: "mod",
        origin: `/lib/mod${suffix}`,
        hasLocation: true,
        submoduleSearchLocations: null,
      });
      expect(mod!.loaderKind).toBe(expected.loader);
      expect(mod!.cached).toBe(expected.cached(`/lib/mod${suffix}`));
      const pkg = await system.findSpec("pkg", null, null);
      expect(pkg!.origin).toBe(`/lib/pkg/__init__${suffix}`);
      expect(pkg!.submoduleSearchLocations).toMatchObject({ items: ["/lib/pkg"] });
      expect(pkg!.loader!.isPackage?.("pkg") ?? true).toBe(true);
      expect(mod!.loader!.isPackage?.("mod") ?? false).toBe(false);
    });

    it("loads, or fails loudly and leaves nothing half-registered", async () => {
      const { system } = world();
      const load = expected.load;
      if ("error" in load) {
        await expect(system.importModule("mod")).rejects.toThrow(load.error);
        expect(system.modules.has("mod")).toBe(false);
        return;
      }
      const mod = await system.importModule("mod");
      const attrs = [...mod.dict.keys()].filter((k) => !k.startsWith("__"));
      expect(attrs).toEqual(load.attrs);
      expect(mod.dict.get("__file__")).toBe(mod.spec!.origin);
    });
  });
}
