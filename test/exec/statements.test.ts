import { describe, expect, it } from "vitest";
import {
  ImportError,
  KeyError,
  ModuleNotFoundError,
  NameError,
  NotSupportedError,
  type PyBaseException,
  RuntimeError,
  TypeError_,
  ValueError,
} from "../../src/core/errors.js";
import type { ImportSystemApi } from "../../src/core/interfaces.js";
import { Module } from "../../src/core/module.js";
import { PyClass, PyFunction, PyTuple } from "../../src/core/values.js";
import { PyExceptionClass } from "../../src/exec/exception-types.js";
import { FakeImportSystem, namesOf, run, runIn } from "./fake-system.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** Run `source`, expecting it to raise; returns the error and the namespace it left. */
async function runFailing(source: string, system = new FakeImportSystem()): Promise<[Error, Module]> {
  const main = new Module("__main__");
  const error = await rejection(runIn(main, source, system));
  return [error, main];
}

describe("assignment and del", () => {
  it("binds names, chained targets share one value", async () => {
    const main = await run("A = 1\nB = A\nC = D = [1]\n");
    expect(namesOf(main)).toMatchObject({ A: 1n, B: 1n });
    expect(main.dict.get("C")).toBe(main.dict.get("D"));
  });

  it("del unbinds, and raises NameError for an unbound name", async () => {
    const [error, main] = await runFailing("A = 1\nB = 2\ndel A, B\ndel A\n");
    expect(error).toBeInstanceOf(NameError);
    expect(error.message).toBe("name 'A' is not defined");
    expect(namesOf(main)).toEqual({});
  });

  it("pass and bare expressions run; an unbound name in one raises NameError", async () => {
    const [error, main] = await runFailing("pass\nA = 1\nA\n...\nUNDEFINED\n");
    expect(error.message).toBe("name 'UNDEFINED' is not defined");
    expect(namesOf(main)).toEqual({ A: 1n });
  });

  it("sets __doc__ from a module docstring only", async () => {
    expect((await run('"""Doc."""\nA = 1\n')).dict.get("__doc__")).toBe("Doc.");
    expect((await run('A = 1\n"""Not doc."""\n')).dict.get("__doc__")).toBe(null);
    expect((await run('"a" "b"\n')).dict.get("__doc__")).toBe("ab");
  });
});

describe("raise", () => {
  it("raises built-in exceptions with their message", async () => {
    for (const [name, type] of [
      ["ImportError", ImportError],
      ["ModuleNotFoundError", ModuleNotFoundError],
      ["ValueError", ValueError],
      ["RuntimeError", RuntimeError],
    ] as const) {
      const [error] = await runFailing(`raise ${name}("msg")\n`);
      expect(error).toBeInstanceOf(type);
      expect(error.message).toBe("msg");
      expect((error as PyBaseException).pyType).toBe(name);
    }
  });

  it("supports ImportError's name= and path= keywords", async () => {
    const [error] = await runFailing('raise ModuleNotFoundError("m", name="x", path="/p")\n');
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect((error as ImportError).moduleName).toBe("x");
    expect((error as ImportError).path).toBe("/p");
  });

  it("rejects keywords as CPython does", async () => {
    const [e1] = await runFailing('raise ValueError("m", name="x")\n');
    expect(e1).toBeInstanceOf(TypeError_);
    expect(e1.message).toBe("ValueError() takes no keyword arguments");
    const [e2] = await runFailing("raise ModuleNotFoundError(foo=1)\n");
    expect(e2.message).toBe("'foo' is an invalid keyword argument for ImportError()");
  });

  it("builds str(e) from the arguments like BaseException", async () => {
    expect((await runFailing("raise ValueError\n"))[0].message).toBe("");
    expect((await runFailing("raise ValueError()\n"))[0].message).toBe("");
    expect((await runFailing("raise ValueError(1.5)\n"))[0].message).toBe("1.5");
    expect((await runFailing('raise ImportError("a", 2, None)\n'))[0].message).toBe("('a', 2, None)");
    const [keyError] = await runFailing('raise KeyError("k")\n');
    expect(keyError).toBeInstanceOf(KeyError);
    expect(keyError.message).toBe("'k'");
  });

  it("models the rest of the built-in exception hierarchy", async () => {
    const main = await run(
      'try:\n    raise ZeroDivisionError("z")\nexcept ArithmeticError as e:\n    A = e\ntry:\n    raise NotImplementedError\nexcept RuntimeError as e:\n    B = e\n',
    );
    expect((main.dict.get("A") as PyBaseException).pyType).toBe("ZeroDivisionError");
    expect((main.dict.get("B") as PyBaseException).pyType).toBe("NotImplementedError");
  });

  it("raises exception classes bound to other names, and instances", async () => {
    const [error] = await runFailing('E = ImportError\nraise E("via alias")\n');
    expect(error).toBeInstanceOf(ImportError);
    const main = await run('try:\n    raise ValueError("v")\nexcept ValueError as e:\n    SAVED = e\n');
    const again = await rejection(runIn(main, "raise SAVED\n"));
    expect(again).toBe(main.dict.get("SAVED"));
  });

  it("raises TypeError for things that are not exceptions", async () => {
    expect((await runFailing("raise 5\n"))[0].message).toBe("exceptions must derive from BaseException");
    expect((await runFailing('raise "x"("m")\n'))[0].message).toBe("'str' object is not callable");
  });

  it("bare raise without a handled exception is a RuntimeError", async () => {
    const [error] = await runFailing("raise\n");
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toBe("No active exception to reraise");
  });

  it("refuses calling classes and functions that are not exceptions", async () => {
    const [error] = await runFailing("class K:\n    pass\nraise K()\n");
    expect(error).toBeInstanceOf(NotSupportedError);
    expect(error.message).toBe(
      "not supported by the scenario executor: calling a 'type' object at /proj/m.py:3",
    );
  });
});

describe("try statements", () => {
  it("runs the matching handler, else only without exception, finally always", async () => {
    const main = await run(
      [
        "try:",
        "    import missing",
        "except ModuleNotFoundError:",
        "    A = 'handled'",
        "else:",
        "    A = 'else'",
        "finally:",
        "    F1 = True",
        "try:",
        "    B = 1",
        "except ImportError:",
        "    B = 'handled'",
        "else:",
        "    C = 'else'",
        "finally:",
        "    F2 = True",
        "",
      ].join("\n"),
    );
    expect(namesOf(main)).toEqual({ A: "handled", F1: true, B: 1n, C: "else", F2: true });
  });

  it("matches subclasses, tuples and bare except; the first match wins", async () => {
    const main = await run(
      [
        "try:",
        "    raise ModuleNotFoundError('x')",
        "except ValueError:",
        "    A = 'value'",
        "except (KeyError, ImportError):",
        "    A = 'tuple'",
        "except ModuleNotFoundError:",
        "    A = 'exact'",
        "try:",
        "    raise RuntimeError('r')",
        "except:",
        "    B = 'bare'",
        "",
      ].join("\n"),
    );
    expect(namesOf(main)).toEqual({ A: "tuple", B: "bare" });
  });

  it("binds `as e` to the exception object and deletes it after the handler", async () => {
    const main = await run(
      "e = 1\ntry:\n    raise ImportError('m')\nexcept ImportError as e:\n    CAUGHT = e\n    INSIDE = e\n",
    );
    const caught = main.dict.get("CAUGHT");
    expect(caught).toBeInstanceOf(ImportError);
    expect(main.dict.get("INSIDE")).toBe(caught);
    expect(main.dict.has("e")).toBe(false);
  });

  it("deletes `as e` even when the handler raises", async () => {
    const [error, main] = await runFailing(
      "try:\n    raise ImportError('m')\nexcept ImportError as e:\n    raise ValueError('v')\n",
    );
    expect(error).toBeInstanceOf(ValueError);
    expect(main.dict.has("e")).toBe(false);
  });

  it("lets an unmatched exception propagate after finally", async () => {
    const [error, main] = await runFailing(
      "try:\n    raise KeyError('k')\nexcept ImportError:\n    A = 1\nelse:\n    B = 1\nfinally:\n    F = 1\nAFTER = 1\n",
    );
    expect(error).toBeInstanceOf(KeyError);
    expect(namesOf(main)).toEqual({ F: 1n });
  });

  it("re-raises the handled exception with bare raise, in handlers and in finally", async () => {
    const [e1] = await runFailing(
      "try:\n    raise ValueError('a')\nexcept ValueError:\n    X = 1\n    raise\n",
    );
    expect(e1.message).toBe("a");
    const [e2] = await runFailing("try:\n    raise ValueError('b')\nfinally:\n    raise\n");
    expect(e2.message).toBe("b");
  });

  it("lets an exception raised in finally replace the propagating one", async () => {
    const [error] = await runFailing("try:\n    raise ValueError('a')\nfinally:\n    raise KeyError('k')\n");
    expect(error).toBeInstanceOf(KeyError);
  });

  it("an exception in the else block is not handled by the handlers", async () => {
    const [error] = await runFailing(
      "try:\n    pass\nexcept ValueError:\n    pass\nelse:\n    raise ValueError('e')\n",
    );
    expect(error.message).toBe("e");
  });

  it("checks every class in an except clause, like CHECK_EXC_MATCH", async () => {
    const [error] = await runFailing("try:\n    raise ValueError\nexcept (ValueError, 5):\n    pass\n");
    expect(error).toBeInstanceOf(TypeError_);
    expect(error.message).toBe("catching classes that do not inherit from BaseException is not allowed");
  });

  it("a NameError in an except clause replaces the exception", async () => {
    const [error] = await runFailing("try:\n    raise ValueError\nexcept Nope:\n    pass\n");
    expect(error).toBeInstanceOf(NameError);
  });

  it("shares the handled exception with modules imported in a handler (sys.exc_info is per thread)", async () => {
    const system = new FakeImportSystem();
    system.sources.set("reraiser", "raise\n");
    const main = await run(
      "try:\n    raise ValueError('a')\nexcept ValueError:\n    try:\n        import reraiser\n    except Exception as e:\n        GOT = e\n",
      system,
    );
    expect((main.dict.get("GOT") as unknown as Error).message).toBe("a");
  });

  it("never catches importkit's own errors, and does not run finally for them", async () => {
    const system = new FakeImportSystem();
    const failing: ImportSystemApi = Object.assign(system, {
      importName: async () => {
        throw new NotSupportedError("not modelled");
      },
    });
    const [error, main] = await runFailing(
      "try:\n    import x\nexcept:\n    A = 1\nfinally:\n    F = 1\n",
      failing as FakeImportSystem,
    );
    expect(error).toBeInstanceOf(NotSupportedError);
    expect(namesOf(main)).toEqual({});
  });
});

describe("def and class", () => {
  it("binds functions with qualname and module, evaluating defaults", async () => {
    const main = await run('def f(a, b=1, *args, c=None, **kw):\n    """Doc."""\n', undefined, "pkg.mod");
    expect(main.dict.get("f")).toEqual(new PyFunction("f", "f", "pkg.mod"));
    const [error] = await runFailing("def f(a=UNDEFINED):\n    pass\n");
    expect(error.message).toBe("name 'UNDEFINED' is not defined");
  });

  it("runs class bodies in their own namespace with nested qualnames", async () => {
    const main = await run(
      [
        "A = 'global'",
        "class Outer(object):",
        '    """Outer doc."""',
        "    X = 1",
        "    Y = A",
        "    class Inner:",
        "        def m(self):",
        "            pass",
        "    def meth(self):",
        "        pass",
        "",
      ].join("\n"),
      undefined,
      "pkg.mod",
    );
    const outer = main.dict.get("Outer") as PyClass;
    expect(outer).toBeInstanceOf(PyClass);
    expect(outer.qualname).toBe("Outer");
    expect(outer.module).toBe("pkg.mod");
    expect(outer.attrs.get("__doc__")).toBe("Outer doc.");
    expect(outer.attrs.get("__module__")).toBe("pkg.mod");
    expect(outer.attrs.has("__qualname__")).toBe(false);
    expect(outer.attrs.get("X")).toBe(1n);
    expect(outer.attrs.get("Y")).toBe("global");
    const inner = outer.attrs.get("Inner") as PyClass;
    expect(inner.qualname).toBe("Outer.Inner");
    expect((inner.attrs.get("m") as PyFunction).qualname).toBe("Outer.Inner.m");
    expect((outer.attrs.get("meth") as PyFunction).qualname).toBe("Outer.meth");
    expect(inner.attrs.get("__doc__")).toBe(null);
    expect(namesOf(main)).toEqual({ A: "global", Outer: outer });
  });

  it("class-level names do not leak into the module", async () => {
    const system = new FakeImportSystem();
    const helper = system.add("helper");
    const main = await run("class K:\n    import helper\n    X = 1\nY = K.helper\n", system);
    expect(main.dict.has("helper")).toBe(false);
    expect(main.dict.has("X")).toBe(false);
    expect(main.dict.get("Y")).toBe(helper);
  });

  it("refuses bases other than object", async () => {
    const [error] = await runFailing("class K(ValueError):\n    pass\n");
    expect(error.message).toBe(
      "not supported by the scenario executor: class base other than object at /proj/m.py:1",
    );
  });
});

describe("exception classes as values", () => {
  it("are class objects of module builtins", async () => {
    const main = await run("E = ImportError\nT = (ValueError, KeyError)\nO = object\nI = IOError\n");
    const e = main.dict.get("E");
    expect(e).toBeInstanceOf(PyExceptionClass);
    expect((e as PyClass).qualname).toBe("ImportError");
    expect((e as PyClass).module).toBe("builtins");
    expect(main.dict.get("T")).toBeInstanceOf(PyTuple);
    expect((main.dict.get("I") as PyClass).name).toBe("OSError");
  });

  it("are matched by except through whatever name they are bound to", async () => {
    const main = await run("E = KeyError\ntry:\n    raise KeyError\nexcept E:\n    OK = True\n");
    expect(main.dict.get("OK")).toBe(true);
  });
});
