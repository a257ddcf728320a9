import { describe, expect, it } from "vitest";
import { DeadlockError, type ImportError, ModuleNotFoundError, ValueError } from "../../src/core/errors.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { ImportSystem } from "../../src/core/import-system.js";
import { loadProfile } from "../../src/core/profile.js";
import type { ModuleBody } from "../support/function-importer.js";
import { FunctionImporter, noExecutor, tick } from "../support/function-importer.js";

function systemWith(bodies: Record<string, ModuleBody>, packages: string[] = []): ImportSystem {
  const system = new ImportSystem({
    fs: MemFileSystem.fromFiles({}),
    profile: loadProfile(),
    executor: noExecutor,
  });
  system.metaPath.push(new FunctionImporter(bodies, new Set(packages)));
  return system;
}

describe("ImportSystem", () => {
  it("imports parents first and binds submodules on them", async () => {
    const order: string[] = [];
    const system = systemWith(
      {
        pkg: (m) => void order.push(m.name),
        "pkg.sub": (m) => void order.push(m.name),
      },
      ["pkg"],
    );
    const sub = await system.importModule("pkg.sub");
    expect(order).toEqual(["pkg", "pkg.sub"]);
    expect(system.modules.get("pkg")!.getAttr("sub")).toBe(sub);
    expect(sub.dict.get("__package__")).toBe("pkg");
    expect(system.modules.get("pkg")!.dict.get("__package__")).toBe("pkg");
  });

  it("returns the top-level package from importName without a fromlist", async () => {
    const system = systemWith({ pkg: () => {}, "pkg.sub": () => {} }, ["pkg"]);
    const top = await system.importName("pkg.sub", null, null, 0);
    expect(top.name).toBe("pkg");
    const sub = await system.importName("pkg.sub", null, ["x"], 0);
    expect(sub.name).toBe("pkg.sub");
  });

  it("removes exactly the failing module, keeping what it imported", async () => {
    const system = systemWith({
      ok: () => {},
      bad: async (_m, ctx) => {
        await ctx.system.importName("ok", null, null, 0, ctx);
        throw new ValueError("boom");
      },
    });
    await expect(system.importModule("bad")).rejects.toThrow(ValueError);
    expect(system.modules.has("bad")).toBe(false);
    expect(system.modules.has("ok")).toBe(true);
  });

  it("raises CPython's messages for missing modules and non-packages", async () => {
    const system = systemWith({ mod: () => {} });
    await expect(system.importModule("nothing")).rejects.toThrow("No module named 'nothing'");
    const error = await system.importModule("mod.sub").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect((error as ImportError).message).toBe("No module named 'mod.sub'; 'mod' is not a package");
    expect((error as ImportError).moduleName).toBe("mod.sub");
  });

  it("blocks an import with None in sys.modules", async () => {
    const system = systemWith({ blocked: () => {} });
    system.modules.set("blocked", null);
    await expect(system.importModule("blocked")).rejects.toThrow(
      "import of blocked halted; None in sys.modules",
    );
  });

  it("resolves relative names as importlib.import_module does", async () => {
    const system = systemWith({ pkg: () => {}, "pkg.a": () => {}, "pkg.a.b": () => {} }, ["pkg", "pkg.a"]);
    expect((await system.importModule("..a", "pkg.a")).name).toBe("pkg.a");
    await expect(system.importModule(".x", "")).rejects.toThrow("the 'package' argument is required");
    await expect(system.importModule("...x", "pkg.a")).rejects.toThrow(
      "attempted relative import beyond top-level package",
    );
  });

  it("serialises concurrent imports of one module: the second waits for the first to finish", async () => {
    let runs = 0;
    const system = systemWith({
      slow: async (m) => {
        runs++;
        await tick();
        m.setAttr("READY", true);
      },
    });
    const [a, b] = await Promise.all([system.importModule("slow"), system.importModule("slow")]);
    expect(runs).toBe(1);
    expect(a).toBe(b);
    expect(a.getAttr("READY")).toBe(true);
  });

  it("lets the import statement see a module another task is initialising when waiting would deadlock", async () => {
    // Task 1 imports a, whose body imports b; task 2 imports b, whose body imports a. The import
    // statement's `_lock_unlock_module` swallows the deadlock and hands over the partial module.
    const seen: string[] = [];
    const system = systemWith({
      a: async (m, ctx) => {
        await tick();
        await ctx.system.importName("b", null, null, 0, ctx);
        m.setAttr("A", 1n);
      },
      b: async (m, ctx) => {
        await tick();
        const a = await ctx.system.importName("a", null, null, 0, ctx);
        seen.push(a.spec!.initializing ? "partial a" : "complete a");
        m.setAttr("B", 2n);
      },
    });
    await Promise.all([system.importModule("a"), system.importModule("b")]);
    expect(seen).toEqual(["partial a"]);
    expect(system.modules.get("a")!.getAttr("A")).toBe(1n);
  });

  it("raises _DeadlockError from importlib.import_module when two tasks wait on each other", async () => {
    const system = systemWith({
      a: async (m, ctx) => {
        await tick();
        await ctx.system.importModule("b", null, ctx);
        m.setAttr("A", 1n);
      },
      b: async (m, ctx) => {
        await tick();
        await ctx.system.importModule("a", null, ctx);
        m.setAttr("B", 2n);
      },
    });
    const results = await Promise.allSettled([system.importModule("a"), system.importModule("b")]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toBeInstanceOf(DeadlockError);
    expect(String(failures[0]!.reason.message)).toMatch(/^deadlock detected by _ModuleLock\('a'\) at \d+$/);
    // Task 1 then imported b itself, seeing its own partial a.
    expect(system.modules.get("a")!.getAttr("A")).toBe(1n);
    expect(system.modules.get("b")!.getAttr("B")).toBe(2n);
  });

  it("lets a module's own circular import see it partially initialised", async () => {
    const system = systemWith({
      a: async (m, ctx) => {
        await ctx.system.importName("b", null, null, 0, ctx);
        m.setAttr("A", 1n);
      },
      b: async (m, ctx) => {
        const a = await ctx.system.importName("a", null, null, 0, ctx);
        expect(a.spec!.initializing).toBe(true);
        expect(() => a.getAttr("A")).toThrow(
          "partially initialized module 'a' has no attribute 'A' (most likely due to a circular import)",
        );
        m.setAttr("B", 2n);
      },
    });
    await system.importModule("a");
    expect(system.modules.get("a")!.spec!.initializing).toBe(false);
  });

  it("reloads a module in place and reports a vanished one", async () => {
    let version = 1n;
    const system = systemWith({ mod: (m) => void m.setAttr("V", version) });
    const mod = await system.importModule("mod");
    version = 2n;
    expect(await system.reload(mod)).toBe(mod);
    expect(mod.getAttr("V")).toBe(2n);
    system.metaPath.pop();
    await expect(system.reload(mod)).rejects.toThrow("spec not found for the module 'mod'");
    expect(mod.dict.get("__spec__")).toBe(null);
  });
});
