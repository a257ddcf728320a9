/** Floats as text: Python's repr (corpus dumps) and the %.17g of marshal v0/v1, checked against CPython. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatG17, parsePythonFloatText, pythonFloatRepr } from "../../src/bytecode/index.js";
import { pythonFor, runPython } from "./support/python.js";

const EDGES = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e16,
  1e15,
  123456789012345680,
  1e-4,
  1e-5,
  0.0001234,
  5e-324,
  2.2250738585072014e-308,
  1.7976931348623157e308,
  Infinity,
  -Infinity,
  Number.NaN,
  1.5,
  100,
  1e22,
  1e21,
  2 ** 53 + 2,
  0.3,
  2 / 3,
  -1234.5678e-20,
];

const doubles = [
  ...EDGES,
  ...fc.sample(fc.double(), { numRuns: 400, seed: 7 }),
  ...fc.sample(fc.double({ min: 1e-6, max: 1e18, noNaN: true }), { numRuns: 200, seed: 8 }),
];

describe("float text", () => {
  it("repr examples", () => {
    expect(
      [1, -0, 1e16, 1e-7, 5e-324, 1e15, 0.0001, 1e-5, Infinity, Number.NaN].map(pythonFloatRepr),
    ).toEqual([
      "1.0",
      "-0.0",
      "1e+16",
      "1e-07",
      "5e-324",
      "1000000000000000.0",
      "0.0001",
      "1e-05",
      "inf",
      "nan",
    ]);
  });

  it("parse accepts what PyOS_string_to_double accepts, and only that", () => {
    expect(["1e10", "-0", "+.5", "1.", "inf", "-Infinity", "NaN", "1E+05"].map(parsePythonFloatText)).toEqual(
      [1e10, -0, 0.5, 1, Infinity, -Infinity, Number.NaN, 1e5],
    );
    for (const bad of ["", " 1", "0x10", "1_0", "abc", "1e", "--1", "in"])
      expect(parsePythonFloatText(bad)).toBeNull();
  });

  it("%.17g text parses back to the same double", () => {
    for (const x of doubles)
      expect(Object.is(parsePythonFloatText(formatG17(x)), x) || Number.isNaN(x)).toBe(true);
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("repr and %.17g equal CPython's for edge and random doubles", () => {
    const script = `
import sys, struct
for line in sys.stdin.read().split():
    x = struct.unpack("<d", bytes.fromhex(line))[0]
    print(repr(x), "%.17g" % x)`;
    const input = doubles
      .map((x) => {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(x);
        return b.toString("hex");
      })
      .join("\n");
    const got = runPython(python!, script, input).trim().split("\n");
    expect(doubles.map((x) => `${pythonFloatRepr(x)} ${formatG17(x)}`)).toEqual(got);
  });
});
