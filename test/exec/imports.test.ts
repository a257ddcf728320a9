import { describe, expect, it } from "vitest";
import { ImportError, ModuleNotFoundError, TypeError_ } from "../../src/core/errors.js";
import { Module } from "../../src/core/module.js";
import { PyList } from "../../src/core/values.js";
import { FakeImportSystem, namesOf, run, runIn } from "./fake-system.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("import a.b.c", () => {
  it("calls __import__ once and binds the top-level package", async () => {
    const system = new FakeImportSystem();
    const a = system.add("a");
    system.add("a.b");
    system.add("a.b.c");
    const main = await run("import a.b.c\n", system);
    expect(system.calls).toEqual([{ name: "a.b.c", globals: "__main__", fromlist: null, level: 0 }]);
    expect(namesOf(main)).toEqual({ a });
  });

  it("binds `as` names by walking the components with IMPORT_FROM", async () => {
    const system = new FakeImportSystem();
    system.add("a");
    const b = system.add("a.b");
    const c = system.add("a.b.c");
    const main = await run("import a.b.c as x\nimport a.b as y, a as z\n", system);
    expect(main.dict.get("x")).toBe(c);
    expect(main.dict.get("y")).toBe(b);
    expect(main.dict.get("z")).toBe(system.modules.get("a"));
    expect(system.calls.map((call) => call.name)).toEqual(["a.b.c", "a.b", "a"]);
  });

  it("falls back to sys.modules when the parent lacks the attribute (IMPORT_FROM)", async () => {
    const system = new FakeImportSystem();
    system.add("a");
    const b = new Module("a.b");
    system.modules.set("a.b", b);
    const main = await run("import a.b as x\n", system);
    expect(main.dict.get("x")).toBe(b);
  });

  it("reports IMPORT_FROM's error when the submodule is neither attribute nor in sys.modules", async () => {
    const system = new FakeImportSystem();
    system.add("a");
    system.add("a.b");
    system.modules.get("a")?.dict.delete("b");
    system.modules.delete("a.b");
    system.importName = async () => system.modules.get("a") as Module;
    const error = await rejection(run("import a.b as x\n", system));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toBe("cannot import name 'b' from 'a' (/lib/a.py)");
  });

  it("propagates ModuleNotFoundError from __import__ and binds nothing", async () => {
    const system = new FakeImportSystem();
    const main = new Module("__main__");
    const error = await rejection(runIn(main, "A = 1\nimport nothing.here\nB = 2\n", system));
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect(error.message).toBe("No module named 'nothing'");
    expect(namesOf(main)).toEqual({ A: 1n });
  });
});

describe("from X import names", () => {
  it("passes the fromlist and level, binds names and aliases", async () => {
    const system = new FakeImportSystem();
    system.add("pkg", { A: 1n, B: "b" });
    const main = await run("from pkg import A, B as C\n", system);
    expect(system.calls).toEqual([{ name: "pkg", globals: "__main__", fromlist: ["A", "B"], level: 0 }]);
    expect(namesOf(main)).toEqual({ A: 1n, C: "b" });
  });

  it("handles relative imports: `from . import x` has name '' and level 1; `...` is level 3", async () => {
    const system = new FakeImportSystem();
    system.add("top", { T: 1n });
    system.add("top.mid", { M: 1n });
    system.add("top.mid.pkg", { x: "x" });
    const main = new Module("top.mid.pkg.mod");
    main.dict.set("__package__", "top.mid.pkg");
    await runIn(
      main,
      "from . import x\nfrom .. import M\nfrom ... import T\nfrom ...mid import M as M2\n",
      system,
    );
    expect(system.calls.map((c) => [c.name, c.level])).toEqual([
      ["", 1],
      ["", 2],
      ["", 3],
      ["mid", 3],
    ]);
    expect(namesOf(main)).toEqual({ x: "x", M: 1n, T: 1n, M2: 1n });
  });

  it("binds names one at a time: those before a missing one stay bound", async () => {
    const system = new FakeImportSystem();
    system.add("pkg", { A: 1n });
    const sub = system.add("pkg.sub");
    const main = new Module("__main__");
    const error = await rejection(runIn(main, "from pkg import A, sub, nope, B\n", system));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toBe("cannot import name 'nope' from 'pkg' (/lib/pkg.py)");
    expect((error as ImportError).moduleName).toBe("pkg");
    expect(namesOf(main)).toEqual({ A: 1n, sub });
  });

  it("runs `from __future__ import annotations` as an ordinary import", async () => {
    const system = new FakeImportSystem();
    system.add("__future__", { annotations: "feature" });
    const main = await run('"""Doc."""\nfrom __future__ import annotations\n', system);
    expect(system.calls).toEqual([
      { name: "__future__", globals: "__main__", fromlist: ["annotations"], level: 0 },
    ]);
    expect(main.dict.get("annotations")).toBe("feature");
    expect(main.dict.get("__doc__")).toBe("Doc.");
  });
});

describe("from X import *", () => {
  it("imports with fromlist ['*'] and binds __all__ through importStar", async () => {
    const system = new FakeImportSystem();
    system.add("conf", { __all__: new PyList(["DEBUG"]), DEBUG: false, SECRET: "x" });
    const main = await run("from conf import *\n", system);
    expect(system.calls).toEqual([{ name: "conf", globals: "__main__", fromlist: ["*"], level: 0 }]);
    expect(namesOf(main)).toEqual({ DEBUG: false });
  });

  it("binds public names when there is no __all__", async () => {
    const system = new FakeImportSystem();
    system.add("conf", { A: 1n, _private: 2n });
    const main = await run("from conf import *\n", system);
    expect(namesOf(main)).toEqual({ A: 1n });
  });

  it("reports importStar's errors", async () => {
    const system = new FakeImportSystem();
    system.add("conf", { __all__: new PyList(["MISSING"]) });
    const error = await rejection(run("from conf import *\n", system));
    expect(error.message).toBe("module 'conf' has no attribute 'MISSING'");
    system.add("bad", { __all__: new PyList([1n]) });
    const typeError = await rejection(run("from bad import *\n", system));
    expect(typeError).toBeInstanceOf(TypeError_);
  });
});

describe("nested module execution", () => {
  it("imports modules whose bodies import others, in CPython's order", async () => {
    const system = new FakeImportSystem();
    system.sources.set("first", "import second\nF = second.S\n");
    system.sources.set("second", "S = 2\n");
    const main = await run("import first\nV = first.F\n", system);
    expect(main.dict.get("V")).toBe(2n);
    expect(system.calls.map((c) => [c.name, c.globals])).toEqual([
      ["first", "__main__"],
      ["second", "first"],
    ]);
  });

  it("a failing body propagates its exception to the importer", async () => {
    const system = new FakeImportSystem();
    system.sources.set("bad", 'raise ValueError("boom")\n');
    const main = await run("try:\n    import bad\nexcept ValueError as e:\n    CAUGHT = e\n", system);
    expect((main.dict.get("CAUGHT") as unknown as Error).message).toBe("boom");
    expect(system.modules.has("bad")).toBe(false);
  });
});
