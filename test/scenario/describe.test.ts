import { describe, expect, it } from "vitest";
import { ImportError, KeyError, ModuleNotFoundError } from "../../src/core/errors.js";
import { Module } from "../../src/core/module.js";
import { ModuleSpec } from "../../src/core/spec.js";
import type { PyValue } from "../../src/core/values.js";
import {
  PyBytes,
  PyClass,
  PyDict,
  PyFunction,
  PyList,
  PyOpaque,
  PySet,
  PyTuple,
} from "../../src/core/values.js";
import { describeError, describeModule, loaderName } from "../../src/scenario/describe-module.js";
import { describeNames, describeValue, isDunder } from "../../src/scenario/describe-value.js";
import { toJsonLine } from "../../src/scenario/json-line.js";
import { PathRewriter } from "../../src/scenario/path-rewriter.js";

const ROOT = "/r/root";
const STDLIB = "/usr/local/lib/python3.11";
const rewriter = new PathRewriter(ROOT, STDLIB);
const d = (value: PyValue) => describeValue(value, rewriter);

function set(...items: PyValue[]): PySet {
  const s = new PySet();
  for (const item of items) s.add(item);
  return s;
}

describe("PathRewriter", () => {
  it("removes the root and a slash, writes the root alone as empty, and the stdlib dir as <stdlib>", () => {
    expect(rewriter.rewrite(`${ROOT}/lib/a.py`)).toBe("lib/a.py");
    expect(rewriter.rewrite(ROOT)).toBe("");
    expect(rewriter.rewrite(`cannot import name 'x' from 'p' (${ROOT}/lib/p/__init__.py)`)).toBe(
      "cannot import name 'x' from 'p' (lib/p/__init__.py)",
    );
    expect(rewriter.rewrite(`['${ROOT}/a', '${ROOT}/b']`)).toBe("['a', 'b']");
    expect(rewriter.rewrite(`${STDLIB}/__phello__/spam.py`)).toBe("<stdlib>/__phello__/spam.py");
    expect(rewriter.rewrite(STDLIB)).toBe("<stdlib>");
    expect(rewriter.rewrite("lib/a.py")).toBe("lib/a.py");
  });

  it("leaves stdlib paths alone for versions without a stdlib dir", () => {
    expect(new PathRewriter(ROOT, null).rewrite(`${STDLIB}/x.py`)).toBe(`${STDLIB}/x.py`);
  });

  it("maps non-strings to null", () => {
    expect(rewriter.pathOrNull(null)).toBeNull();
    expect(rewriter.pathOrNull(new PyList())).toBeNull();
    expect(rewriter.pathOrNull(`${ROOT}/x`)).toBe("x");
  });
});

describe("value descriptions", () => {
  it("describes scalars: ints up to 2**53-1 as numbers, beyond as decimal strings", () => {
    expect(d(null)).toEqual({ value: null });
    expect(d(true)).toEqual({ value: true });
    expect(d(5n)).toEqual({ value: 5 });
    expect(d(2n ** 53n - 1n)).toEqual({ value: 9007199254740991 });
    expect(d(2n ** 53n)).toEqual({ value: "9007199254740992" });
    expect(d(-(2n ** 53n))).toEqual({ value: "-9007199254740992" });
    expect(d(1.5)).toEqual({ value: 1.5 });
    expect(d(`${ROOT}/lib/x.py`)).toEqual({ value: "lib/x.py" });
    expect(d(new PyBytes(Uint8Array.from([0, 0xab, 0xff])))).toEqual({ bytes: "00abff" });
  });

  it("describes containers recursively, dicts in insertion order", () => {
    const dict = new PyDict();
    dict.set("b", new PyTuple([1n]));
    dict.set("a", new PyList([null]));
    expect(d(new PyList([1n, new PyTuple([]), "s"]))).toEqual({
      list: [{ value: 1 }, { tuple: [] }, { value: "s" }],
    });
    expect(d(dict)).toEqual({
      dict: [
        [{ value: "b" }, { tuple: [{ value: 1 }] }],
        [{ value: "a" }, { list: [{ value: null }] }],
      ],
    });
  });

  it("sorts set elements by Python's compact JSON text (floats keep .0, code point order)", () => {
    // Python: {"value":3.0} < {"value":3.5}; JS's JSON would write 3 and sort it after 3.5.
    expect(d(set(3.5, 3.0))).toEqual({ set: [{ value: 3 }, { value: 3.5 }] });
    // Python writes 1e-05 (exponent form) where JS writes 0.00001: "1.0" < "1e-05" but "0.00001" < "1".
    expect(d(set(0.00001, 1.0))).toEqual({ set: [{ value: 1 }, { value: 0.00001 }] });
    // U+FFEE sorts before an astral character by code point (JS's UTF-16 order says the opposite).
    expect(d(set("\u{1F600}", "\uffee", "a"))).toEqual({
      set: [{ value: "a" }, { value: "\uffee" }, { value: "\u{1F600}" }],
    });
    expect(d(set(null, true, 10n, -1n))).toEqual({
      set: [{ value: -1 }, { value: 10 }, { value: null }, { value: true }],
    });
    const frozen = new PySet("frozenset");
    frozen.add("x");
    expect(d(frozen)).toEqual({ set: [{ value: "x" }] });
  });

  it("describes modules, classes, functions, and anything else by its type name", () => {
    expect(d(new Module("pkg.sub"))).toEqual({ module: "pkg.sub" });
    expect(d(new PyClass("C", "Outer.C", "m"))).toEqual({ class: "Outer.C" });
    expect(d(new PyFunction("f", "f", "m"))).toEqual({ function: "f" });
    expect(d(new PyOpaque("_Feature"))).toEqual({ type: "_Feature" });
    expect(d(new ModuleNotFoundError("x"))).toEqual({ type: "ModuleNotFoundError" });
  });

  it("lists every non-dunder name, sorted", () => {
    const ns = new Map<string, PyValue>([
      ["b", 1n],
      ["__name__", "m"],
      ["a", 2n],
      ["__x", 3n],
      ["____", 4n],
    ]);
    expect(Object.keys(describeNames(ns, rewriter))).toEqual(["____", "__x", "a", "b"]);
    expect(isDunder("__all__")).toBe(true);
    expect(isDunder("____")).toBe(false);
  });
});

describe("module reports and errors", () => {
  it("reports a source module's dunders, rewritten, and its attrs with __all__", async () => {
    const module = new Module("pkg");
    const spec = new ModuleSpec("pkg", null, {
      origin: `${ROOT}/lib/pkg/__init__.py`,
      hasLocation: true,
      submoduleSearchLocations: new PyList([`${ROOT}/lib/pkg`]),
    });
    module.setAttr("__spec__", spec);
    module.setAttr("__file__", `${ROOT}/lib/pkg/__init__.py`);
    module.setAttr("__package__", "pkg");
    module.setAttr("__path__", spec.submoduleSearchLocations);
    module.setAttr("Z", 1n);
    module.setAttr("__all__", new PyList(["Z"]));
    expect(await describeModule(module, rewriter)).toEqual({
      file: "lib/pkg/__init__.py",
      cached: null,
      origin: "lib/pkg/__init__.py",
      package: "pkg",
      path: ["lib/pkg"],
      loader: null,
      has_location: true,
      attrs: { Z: { value: 1 }, __all__: { list: [{ value: "Z" }] } },
    });
  });

  it("gives built-in and frozen modules no attrs, and a module without spec null origin", async () => {
    const builtin = new Module("b");
    builtin.setAttr("__spec__", new ModuleSpec("b", null, { origin: "built-in" }));
    builtin.setAttr("X", 1n);
    expect((await describeModule(builtin, rewriter)).attrs).toEqual({});
    const bare = new Module("m");
    bare.setAttr("X", 1n);
    const report = await describeModule(bare, rewriter);
    expect([report.origin, report.has_location, report.attrs]).toEqual([null, null, { X: { value: 1 } }]);
  });

  it("names loaders by their CPython class", () => {
    expect(loaderName(null)).toBeNull();
    expect(loaderName(new PyOpaque("SourceFileLoader"))).toBe("SourceFileLoader");
    expect(loaderName(new PyOpaque("_NamespaceLoader"))).toBe("NamespaceLoader");
    expect(loaderName(new PyClass("BuiltinImporter", "BuiltinImporter", "_frozen_importlib"))).toBe(
      "BuiltinImporter",
    );
  });

  it("describes errors: ImportError's name and path, null for other types", () => {
    expect(
      describeError(
        new ImportError(`bad in ${ROOT}/lib/x.py`, { name: "x", path: `${ROOT}/lib/x.py` }),
        rewriter,
      ),
    ).toEqual({
      type: "ImportError",
      message: "bad in lib/x.py",
      name: "x",
      path: "lib/x.py",
    });
    expect(describeError(new KeyError("'k'"), rewriter)).toEqual({
      type: "KeyError",
      message: "'k'",
      name: null,
      path: null,
    });
  });
});

describe("toJsonLine", () => {
  it("writes one line of JSON, with Python's spellings of non-finite floats", () => {
    expect(toJsonLine({ a: [1, "x", null, true], b: { value: Number.NaN }, c: -Infinity })).toBe(
      '{"a": [1, "x", null, true], "b": {"value": NaN}, "c": -Infinity}',
    );
    expect(JSON.parse(toJsonLine({ s: 'q"\n' }))).toEqual({ s: 'q"\n' });
  });
});
