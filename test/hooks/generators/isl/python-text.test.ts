/**
 * The quoting helpers: str literals spelled exactly as CPython's `ascii()` spells them, docstrings that
 * read back as their text, tuples and dicts of literals — checked by hand and against CPython 3.11.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type PyLiteral,
  pyDict,
  pyDocstring,
  pyLiteral,
  pyStr,
} from "../../../../src/hooks/generators/isl/python-text.js";

describe("python-text", () => {
  it("spells str literals as ascii() does", () => {
    expect(pyStr("")).toBe("''");
    expect(pyStr("plain")).toBe("'plain'");
    expect(pyStr("it's")).toBe(`"it's"`);
    expect(pyStr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pyStr('say "x"')).toBe(`'say "x"'`);
    expect(pyStr("a\\b\n\r\t\x00\x1f\x7f")).toBe("'a\\\\b\\n\\r\\t\\x00\\x1f\\x7f'");
    expect(pyStr("caf\u00e9 \u2028 \u{1F600}")).toBe("'caf\\xe9 \\u2028 \\U0001f600'");
  });

  it("writes docstrings plainly when it can, else as a str literal", () => {
    expect(pyDocstring("SetValue (v : REAL)")).toBe('"""SetValue (v : REAL)"""');
    expect(pyDocstring('ends with "')).toBe(`'ends with "'`);
    expect(pyDocstring("back\\slash")).toBe("'back\\\\slash'");
    expect(pyDocstring("caf\u00e9")).toBe("'caf\\xe9'");
    expect(pyDocstring("")).toBe('""""""');
  });

  it("writes literals: None, bools, ints, float reprs, tuples (with the one-element comma)", () => {
    const value: PyLiteral = [null, true, false, -12n, 2, 0.1, -0, 1e16, 1e-5, [], ["a"], [["x", 1n]]];
    expect(pyLiteral(value)).toBe(
      "(None, True, False, -12, 2.0, 0.1, -0.0, 1e+16, 1e-05, (), ('a',), (('x', 1),))",
    );
    expect(() => pyLiteral(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("writes dicts one entry per line, at an indent", () => {
    expect(pyDict([])).toBe("{}");
    expect(pyDict([["a", 1n]])).toBe("{\n    'a': 1,\n}");
    expect(pyDict([["a", ["x"]]], "    ")).toBe("{\n        'a': ('x',),\n    }");
  });
});

const python = (() => {
  const r = spawnSync("python3", ["-I", "-S", "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"], {
    encoding: "utf8",
  });
  return r.status === 0 && r.stdout.trim() === "True" ? "python3" : undefined;
})();

describe.skipIf(python === undefined)("python-text against CPython 3.11", () => {
  it("pyStr(s) is ascii(s), and pyStr and pyDocstring read back as s", () => {
    const texts = fc.sample(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 20 }),
        fc.string({ unit: fc.constantFrom("'", '"', "\\", "\n", "a", "\u00e9", "\t", "\x7f"), maxLength: 8 }),
      ),
      { numRuns: 2000, seed: 42 },
    );
    const payload = texts.map((s) => [s, pyStr(s), pyDocstring(s)]);
    const r = spawnSync(
      python!,
      [
        "-I",
        "-S",
        "-c",
        "import ast, json, sys\n" +
          "bad = []\n" +
          "for s, lit, doc in json.load(sys.stdin):\n" +
          "    if lit != ascii(s) or ast.literal_eval(lit) != s: bad.append(['str', s, lit, ascii(s)])\n" +
          "    if ast.get_docstring(ast.parse(doc + '\\n'), clean=False) != s: bad.append(['doc', s, doc])\n" +
          "print(json.dumps(bad))\n",
      ],
      { input: JSON.stringify(payload), encoding: "utf8", maxBuffer: 1 << 26 },
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
