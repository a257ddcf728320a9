import { describe, expect, it } from "vitest";
import { AttributeError, NameError, NotSupportedError, TypeError_ } from "../../src/core/errors.js";
import { Module } from "../../src/core/module.js";
import type { PyValue } from "../../src/core/values.js";
import { PyBytes, PyClass, PyDict, PyList, PyOpaque, type PySet, PyTuple } from "../../src/core/values.js";
import { FakeImportSystem, run, runIn } from "./fake-system.js";

async function value(expression: string, system?: FakeImportSystem): Promise<PyValue> {
  const main = await run(`X = ${expression}\n`, system);
  return main.dict.get("X") as PyValue;
}

async function failure(source: string, system?: FakeImportSystem): Promise<Error> {
  try {
    await runIn(new Module("__main__"), source, system);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("literals", () => {
  it("evaluates scalars", async () => {
    expect(await value("12345678901234567890")).toBe(12345678901234567890n);
    expect(await value("0.5")).toBe(0.5);
    expect(await value("'a' \"b\" '''c'''")).toBe("abc");
    expect(await value("True")).toBe(true);
    expect(await value("None")).toBe(null);
    expect(await value("...")).toEqual(new PyOpaque("ellipsis", "Ellipsis"));
    expect(await value('b"\\x00ab"')).toEqual(new PyBytes(Uint8Array.from([0, 97, 98])));
    expect(await value("b'a' rb'\\n'")).toEqual(new PyBytes(Uint8Array.from([97, 92, 110])));
  });

  it("applies unary operators as Python", async () => {
    expect(await value("-1")).toBe(-1n);
    expect(await value("+-1.5")).toBe(-1.5);
    expect(await value("~5")).toBe(-6n);
    expect(await value("-True")).toBe(-1n);
    expect(await value("~True")).toBe(-2n);
    expect((await failure("X = -'s'\n")).message).toBe("bad operand type for unary -: 'str'");
    expect((await failure("X = ~1.5\n")).message).toBe("bad operand type for unary ~: 'float'");
  });

  it("builds displays", async () => {
    expect(await value("[1, 'two', [3]]")).toEqual(new PyList([1n, "two", new PyList([3n])]));
    expect(await value("(True, False, None)")).toEqual(new PyTuple([true, false, null]));
    expect(await value("(1,)")).toEqual(new PyTuple([1n]));
    expect(await value("()")).toEqual(new PyTuple([]));
    expect(await value("1, 2")).toEqual(new PyTuple([1n, 2n]));
    expect(await value("[]")).toEqual(new PyList([]));
    expect(await value("{}")).toEqual(new PyDict());
  });

  it("builds dicts and sets with Python's key equality (1 == 1.0 == True)", async () => {
    const dict = (await value('{"k": 1, 2: "v", 1: "a", True: "b", 1.0: "c"}')) as PyDict;
    expect([...dict.entries.values()]).toEqual([
      ["k", 1n],
      [2n, "v"],
      [1n, "c"],
    ]);
    const set = (await value('{"b", "a", 3, 3.0}')) as PySet;
    expect([...set.items.values()]).toEqual(["b", "a", 3n]);
  });

  it("raises TypeError for unhashable keys", async () => {
    const error = await failure("X = {[1]: 2}\n");
    expect(error).toBeInstanceOf(TypeError_);
    expect(error.message).toBe("unhashable type: 'list'");
    expect((await failure("X = {1, {}}\n")).message).toBe("unhashable type: 'dict'");
  });

  it("evaluates every element before hashing (BUILD_MAP)", async () => {
    expect(await failure("X = {[]: 1, 2: UNDEFINED}\n")).toBeInstanceOf(NameError);
  });
});

describe("names", () => {
  it("reads globals, then builtins", async () => {
    expect(await value("object")).toEqual(new PyClass("object", "object", "builtins"));
    expect(await value("__debug__")).toBe(true);
    const main = await run("object = 1\nX = object\n");
    expect(main.dict.get("X")).toBe(1n);
  });

  it("raises NameError for unknown names", async () => {
    const error = await failure("X = nope\n");
    expect(error).toBeInstanceOf(NameError);
    expect(error.message).toBe("name 'nope' is not defined");
  });

  it("refuses builtins it does not model", async () => {
    const error = await failure("A = 1\nX = print\n");
    expect(error).toBeInstanceOf(NotSupportedError);
    expect(error.message).toBe("not supported by the scenario executor: builtin 'print' at /proj/m.py:2");
  });
});

describe("attributes", () => {
  it("reads module attributes through chains", async () => {
    const system = new FakeImportSystem();
    system.add("pkg", { X: 1n });
    system.add("pkg.core", { LEVEL: 2n });
    const main = await run("import pkg.core\nA = pkg.X\nB = pkg.core.LEVEL\nF = pkg.__file__\n", system);
    expect(main.dict.get("A")).toBe(1n);
    expect(main.dict.get("B")).toBe(2n);
    expect(main.dict.get("F")).toBe("/lib/pkg.py");
  });

  it("raises the module's AttributeError", async () => {
    const system = new FakeImportSystem();
    system.add("pkg");
    const error = await failure("import pkg\nX = pkg.nope\n", system);
    expect(error).toBeInstanceOf(AttributeError);
    expect(error.message).toBe("module 'pkg' has no attribute 'nope'");
  });

  it("reads class attributes and names", async () => {
    const main = await run(
      "class K:\n    A = 1\nX = K.A\nN = K.__name__\nQ = K.__qualname__\nM = K.__module__\n",
    );
    expect([main.dict.get("X"), main.dict.get("N"), main.dict.get("Q"), main.dict.get("M")]).toEqual([
      1n,
      "K",
      "K",
      "__main__",
    ]);
    expect((await failure("class K:\n    pass\nX = K.x\n")).message).toBe(
      "type object 'K' has no attribute 'x'",
    );
    expect((await failure("X = ValueError.x\n")).message).toBe(
      "type object 'ValueError' has no attribute 'x'",
    );
  });

  it("reads function names", async () => {
    const main = await run("def f():\n    pass\nN = f.__qualname__\n");
    expect(main.dict.get("N")).toBe("f");
    expect((await failure("def f():\n    pass\nX = f.x\n")).message).toBe(
      "'function' object has no attribute 'x'",
    );
  });

  it("reads ImportError's name, path, msg and args", async () => {
    const main = await run(
      "try:\n    raise ImportError('m', name='n', path='p')\nexcept ImportError as e:\n    N = e.name\n    P = e.path\n    M = e.msg\n    A = e.args\n",
    );
    expect([main.dict.get("N"), main.dict.get("P"), main.dict.get("M")]).toEqual(["n", "p", "m"]);
    expect(main.dict.get("A")).toEqual(new PyTuple(["m"]));
  });

  it("raises AttributeError with the value's type name", async () => {
    expect((await failure("X = (1).x\n")).message).toBe("'int' object has no attribute 'x'");
    expect((await failure("X = 'a'.x\n")).message).toBe("'str' object has no attribute 'x'");
    expect((await failure("X = None.x\n")).message).toBe("'NoneType' object has no attribute 'x'");
    expect((await failure("try:\n    raise KeyError\nexcept KeyError as e:\n    X = e.x\n")).message).toBe(
      "'KeyError' object has no attribute 'x'",
    );
  });

  it("refuses attributes CPython has but importkit does not model", async () => {
    for (const source of [
      "X = 'a'.upper\n",
      "X = object.__dict__\n",
      "X = ValueError.args\n",
      "X = (1).real\n",
    ]) {
      const error = await failure(source);
      expect(error, source).toBeInstanceOf(NotSupportedError);
      expect(error.message).toMatch(/^not supported by the scenario executor: .* at \/proj\/m\.py:1$/);
    }
  });
});
