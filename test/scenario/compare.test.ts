import { describe, expect, it } from "vitest";
import { diffResults, sameJson } from "../../src/scenario/compare.js";

describe("sameJson (compare.py's `same`)", () => {
  it("compares numbers by value, never booleans with numbers, objects without key order, lists in order", () => {
    expect(sameJson(1, 1.0)).toBe(true);
    expect(sameJson(true, 1)).toBe(false);
    expect(sameJson({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson(null, null)).toBe(true);
    expect(sameJson(null, "null")).toBe(false);
  });
});

describe("diffResults", () => {
  const step = {
    ok: true,
    error: null,
    loaded: ["a"],
    new_modules: ["a"],
    removed_modules: [],
    namespace: { a: { module: "a" } },
  };
  const module = {
    file: "a.py",
    cached: null,
    origin: "a.py",
    package: "",
    path: null,
    loader: "SourceFileLoader",
    has_location: true,
    attrs: { X: { value: 1 } },
  };
  const result = { scenario: "s", steps: [step], modules: { a: module } };

  it("finds no difference between equal results", () => {
    expect(diffResults(result, structuredClone(result))).toEqual([]);
  });

  it("names each differing field as compare.py does", () => {
    const actual = {
      scenario: "s",
      steps: [{ ...step, loaded: [], namespace: { a: { module: "b" }, extra: { value: 1 } } }],
      modules: { a: { ...module, attrs: { X: { value: 2 } } }, b: module },
    };
    expect(diffResults(result, actual).map((d) => d.where)).toEqual([
      "step 0 loaded",
      "step 0 namespace.a",
      "step 0 namespace.extra",
      "modules[a].attrs.X",
      "modules[b]",
    ]);
  });

  it("counts an unsupported result as different", () => {
    expect(diffResults(result, { scenario: "s", unsupported: "x" }).map((d) => d.where)).toContain(
      "unsupported",
    );
  });
});
