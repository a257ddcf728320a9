/**
 * The "importkit-ast" code format: every compiled fixture module and random ASTs round-trip exactly, and
 * decode refuses everything encode did not write (truncations, byte flips, structural mutations, random
 * JSON, deep nesting) with a CodeFormatError.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodeFormatError, NotSupportedError } from "../../src/core/errors.js";
import { Module } from "../../src/core/module.js";
import { PyBytes, PyList, PyOpaque, type PyValue } from "../../src/core/values.js";
import type { ExceptHandler, Expr, ImportAlias, RaiseOperand, Stmt } from "../../src/exec/ast.js";
import { Ellipsis } from "../../src/exec/builtins.js";
import { scenarioCodeFormat as format, MAX_NESTING } from "../../src/exec/code-format.js";
import { ScenarioCode } from "../../src/exec/compile.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";
import { FakeImportSystem, namesOf, newContext } from "./fake-system.js";

const utf8 = new TextEncoder();
const bytesOf = (text: string): Uint8Array => utf8.encode(text);

/**
 * Where `a` and `b` first differ, or null: primitives by Object.is (so -0 ≠ 0, NaN = NaN), objects by
 * prototype and own keys, bytes by content, PyOpaque singletons (Ellipsis) by identity only.
 */
function difference(a: unknown, b: unknown, path = "$"): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || a instanceof PyOpaque) return path;
  if (a instanceof Uint8Array) return Buffer.compare(a, b as Uint8Array) === 0 ? null : path;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return path;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return `${path}.${key}`;
    const d = difference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (d !== null) return d;
  }
  return null;
}

function decoded(data: Uint8Array, filename = "m.py"): ScenarioCode {
  return format.decode(data, filename) as ScenarioCode;
}

/** The error `f` throws (failing the test when it does not throw). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

function reasonOf(data: Uint8Array | string): string {
  const error = thrown(() => decoded(typeof data === "string" ? bytesOf(data) : data));
  expect(error).toBeInstanceOf(CodeFormatError);
  return (error as CodeFormatError).reason;
}

/**
 * The oracle for hostile input: decode refuses it with a CodeFormatError, or it is exactly what encode
 * writes for what decode returned (a harmless change, such as another digit in a line number).
 */
function checkHostile(data: Uint8Array): "refused" | "accepted" {
  let code: ScenarioCode;
  try {
    code = decoded(data);
  } catch (error) {
    if (error instanceof CodeFormatError) return "refused";
    throw error;
  }
  expect(Buffer.from(format.encode(code)).equals(data)).toBe(true);
  return "accepted";
}

// ------------------------------------------------------------------------------------ fixture modules

const fixtureRoot = new URL("../fixtures/scenarios/", import.meta.url).pathname;
const sharedPublic = new URL("../../../shared/scenarios/public/", import.meta.url).pathname;

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .map((name) => join(dir, name));
}

/** The Python sources of a scenario: `.py` files (given or written by steps) and `run` steps. */
function sourcesOf(path: string): [string, string][] {
  const scenario = JSON.parse(readFileSync(path, "utf8")) as {
    files?: Record<string, unknown>;
    steps?: { run?: unknown; write?: Record<string, unknown> }[];
  };
  const out: [string, string][] = [];
  const addFiles = (files: Record<string, unknown> | undefined): void => {
    for (const [name, value] of Object.entries(files ?? {})) {
      if (!name.endsWith(".py")) continue;
      const text = typeof value === "string" ? value : (value as { text?: unknown } | null)?.text;
      if (typeof text === "string") out.push([name, text]);
    }
  };
  addFiles(scenario.files);
  for (const step of scenario.steps ?? []) {
    addFiles(step.write);
    if (typeof step.run === "string") out.push(["<run>", step.run]);
  }
  return out;
}

const scenarioFiles = [
  ...jsonFiles(join(fixtureRoot, "public")),
  ...jsonFiles(join(fixtureRoot, "extra")),
  ...jsonFiles(join(fixtureRoot, "versions")),
  ...jsonFiles(sharedPublic),
].filter((path) => !path.includes("/expected/"));

/** Every distinct fixture source that compiles, with its compiled code. */
function compiledFixtures(): ScenarioCode[] {
  const executor = new ScenarioExecutor();
  const seen = new Set<string>();
  const out: ScenarioCode[] = [];
  for (const path of scenarioFiles) {
    for (const [name, text] of sourcesOf(path)) {
      if (seen.has(text)) continue;
      seen.add(text);
      try {
        out.push(executor.compile(text, name));
      } catch {
        // Fixtures hold syntax errors and unsupported constructs on purpose.
      }
    }
  }
  return out;
}

const fixtures = compiledFixtures();

/** What running `code` as module `m` does: its namespace, or the error it raised. */
async function outcome(code: ScenarioCode): Promise<unknown> {
  const module = new Module("m");
  try {
    await new ScenarioExecutor().exec(code, module, newContext(new FakeImportSystem()));
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, names: namesOf(module) };
  }
  return { names: namesOf(module) };
}

describe("fixture modules", () => {
  it("finds enough of them", () => {
    expect(scenarioFiles.length).toBeGreaterThan(100);
    expect(fixtures.length).toBeGreaterThan(150);
  });

  it("round-trip exactly, and re-encode to the same bytes", () => {
    for (const code of fixtures) {
      const data = format.encode(code);
      const back = decoded(data, code.filename);
      expect(back).toBeInstanceOf(ScenarioCode);
      expect(back.filename).toBe(code.filename);
      expect(difference(back.body, code.body), code.filename).toBeNull();
      expect(Buffer.from(format.encode(back)).equals(data)).toBe(true);
    }
  });

  it("run the same decoded as compiled", async () => {
    for (const code of fixtures) {
      const back = decoded(format.encode(code), code.filename);
      expect(await outcome(back), code.filename).toEqual(await outcome(code));
    }
  });
});

// ------------------------------------------------------------------------------------ random ASTs

/** fc.record, always with Object.prototype (as the compiler's and decode's nodes have). */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

/** Any UTF-16 string, lone surrogates included. */
const anyString = fc.oneof(
  fc.string(),
  fc
    .array(
      fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.nat(0xffff)),
    )
    .map((units) => String.fromCharCode(...units)),
);
const line = fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constant(Number.MAX_SAFE_INTEGER));
const level = fc.oneof(fc.nat(5), fc.constant(Number.MAX_SAFE_INTEGER));
const constant: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constantFrom<PyValue>(null, true, false, Ellipsis),
  anyString,
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.double(),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324),
  fc.uint8Array({ maxLength: 20 }).map((data) => new PyBytes(data)),
);
const alias: fc.Arbitrary<ImportAlias> = rec({ name: anyString, asName: fc.option(anyString) });

const ast = fc.letrec<{ expr: Expr; stmt: Stmt; body: Stmt[] }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 4, depthIdentifier: "ast" },
    rec({ kind: fc.constant("constant"), line, value: constant }),
    rec({ kind: fc.constant("name"), line, id: anyString }),
    rec({ kind: fc.constant("attribute"), line, object: tie("expr"), attr: anyString }),
    rec({ kind: fc.constant("unary"), line, op: fc.constantFrom("-", "+", "~"), operand: tie("expr") }),
    rec({
      kind: fc.constantFrom("list", "tuple", "set"),
      line,
      elements: fc.array(tie("expr"), { maxLength: 3 }),
    }),
    rec({
      kind: fc.constant("dict"),
      line,
      entries: fc.array(fc.tuple(tie("expr"), tie("expr")), { maxLength: 3 }),
    }),
  ),
  stmt: fc.oneof(
    { maxDepth: 3, depthIdentifier: "ast" },
    rec({ kind: fc.constant("pass"), line }),
    rec({ kind: fc.constant("import"), line, names: fc.array(alias, { maxLength: 3 }) }),
    rec({
      kind: fc.constant("importFrom"),
      line,
      module: anyString,
      level,
      names: fc.array(alias, { maxLength: 3 }),
    }),
    rec({ kind: fc.constant("importStar"), line, module: anyString, level }),
    rec({
      kind: fc.constant("assign"),
      line,
      targets: fc.array(anyString, { maxLength: 3 }),
      value: tie("expr"),
    }),
    rec({ kind: fc.constant("delete"), line, names: fc.array(anyString, { maxLength: 3 }) }),
    rec({ kind: fc.constant("expr"), line, value: tie("expr") }),
    rec({ kind: fc.constant("raise"), line, operand: fc.option(raiseOperand(tie("expr"))) }),
    rec({
      kind: fc.constant("try"),
      line,
      body: tie("body"),
      handlers: fc.array(
        rec<ExceptHandler>({
          line,
          type: fc.option(tie("expr")),
          asName: fc.option(anyString),
          body: tie("body"),
        }),
        { maxLength: 2 },
      ),
      orelse: tie("body"),
      finalbody: tie("body"),
    }),
    rec({
      kind: fc.constant("functionDef"),
      line,
      name: anyString,
      defaults: fc.array(tie("expr"), { maxLength: 2 }),
      body: tie("body"),
    }),
    rec({
      kind: fc.constant("classDef"),
      line,
      name: anyString,
      bases: fc.array(tie("expr"), { maxLength: 2 }),
      body: tie("body"),
    }),
  ),
  body: fc.array(tie("stmt"), { maxLength: 3 }),
}));

function raiseOperand(expr: fc.Arbitrary<Expr>): fc.Arbitrary<RaiseOperand> {
  return fc.oneof(
    rec({ kind: fc.constant("value" as const), value: expr }),
    rec({
      kind: fc.constant("call" as const),
      callee: expr,
      args: fc.array(expr, { maxLength: 2 }),
      keywords: fc.array(fc.tuple(anyString, expr), { maxLength: 2 }),
    }),
  );
}

const randomCode = fc.array(ast.stmt, { maxLength: 6 }).map((body) => new ScenarioCode("r.py", body));

describe("random ASTs", () => {
  it("round-trip exactly (Object.is for floats, identity for Ellipsis, PyBytes over Uint8Array)", () => {
    fc.assert(
      fc.property(randomCode, (code) => {
        const data = format.encode(code);
        const back = decoded(data, "r.py");
        expect(difference(back.body, code.body)).toBeNull();
        expect(Buffer.from(format.encode(back)).equals(data)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("decode returns the Ellipsis singleton and plain Uint8Array bytes", () => {
    const code = new ScenarioCode("e.py", [
      { kind: "expr", line: 1, value: { kind: "constant", line: 1, value: Ellipsis } },
      {
        kind: "expr",
        line: 2,
        value: { kind: "constant", line: 2, value: new PyBytes(Uint8Array.of(0, 255)) },
      },
    ]);
    const [first, second] = decoded(format.encode(code)).body as [
      Stmt & { value: Expr },
      Stmt & { value: Expr },
    ];
    expect(first.value.kind === "constant" && first.value.value).toBe(Ellipsis);
    const bytes = second.value.kind === "constant" ? (second.value.value as PyBytes) : null;
    expect(Object.getPrototypeOf(bytes?.data)).toBe(Uint8Array.prototype);
    expect([...(bytes?.data ?? [])]).toEqual([0, 255]);
  });

  it("writes lone surrogates as escapes, so the bytes are valid UTF-8", () => {
    const code = new ScenarioCode("s.py", [
      {
        kind: "assign",
        line: 1,
        targets: ["\udc00x"],
        value: { kind: "constant", line: 1, value: "a\ud800" },
      },
    ]);
    const data = format.encode(code);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(data)).toBe(
      '[["assign",1,["\\udc00x"],["constant",1,"a\\ud800"]]]',
    );
    expect(difference(decoded(data).body, code.body)).toBeNull();
  });
});

// ------------------------------------------------------------------------------------ hostile input

/** A small module using every node kind and constant type. */
const allKindsSource = `"""doc"""
from __future__ import annotations
import a.b as c, d
from ..pkg import (x as y, z)
from . import *
V = W = {"k": [1, -2.5, +0x1f, ~3, b"\\x00\\xff", None, True, ..., "\\ud800"], (1,): {2, 3}, "n": 1e400}
del V
X.attr
try:
    pass
except (ImportError, KeyError) as e:
    raise ValueError("no", code=-0.0)
except:
    raise
else:
    pass
finally:
    pass
def f(a=float, *, b=1):
    raise
class C(object, B):
    """cdoc"""
`;
const allKinds = format.encode(new ScenarioExecutor().compile(allKindsSource, "all.py"));
const largest = fixtures
  .map((code) => format.encode(code))
  .reduce((a, b) => (b.length > a.length ? b : a), allKinds);

/** A JSON value with one random sub-value replaced, inserted or removed. */
function mutate(value: unknown, path: readonly number[], replacement: unknown, op: number): unknown {
  if (!Array.isArray(value) || value.length === 0) return replacement;
  const [head = 0, ...rest] = path;
  const i = head % value.length;
  const copy = [...value];
  if (rest.length === 0 || !Array.isArray(copy[i])) {
    if (op === 0) copy[i] = replacement;
    else if (op === 1) copy.splice(i, 0, replacement);
    else copy.splice(i, 1);
  } else copy[i] = mutate(copy[i], rest, replacement, op);
  return copy;
}

describe("hostile input", () => {
  it("refuses every truncation", () => {
    for (const data of [allKinds, largest]) {
      for (let n = 0; n < data.length; n++) expect(checkHostile(data.subarray(0, n))).toBe("refused");
    }
  });

  it("refuses every single-bit flip, or decodes it to exactly what it encodes", () => {
    let accepted = 0;
    for (let i = 0; i < allKinds.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const data = Uint8Array.from(allKinds);
        data[i] = (data[i] as number) ^ (1 << bit);
        if (checkHostile(data) === "accepted") accepted++;
      }
    }
    // Some flips are harmless at the format level (a digit of a line number, a letter of a name).
    expect(accepted).toBeGreaterThan(0);
  });

  it("refuses random byte changes, or decodes them to exactly what they encode", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (changes) => {
          const data = Uint8Array.from(largest);
          for (const [at, mask] of changes)
            data[at % data.length] = (data[at % data.length] as number) ^ mask;
          checkHostile(data);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses structural mutations, or decodes them to exactly what they encode", () => {
    const value = JSON.parse(new TextDecoder().decode(allKinds)) as unknown;
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom<unknown>("constant", "int", "pass", 0, -1, 1.5, null, []),
        ),
        fc.integer({ min: 0, max: 2 }),
        (path, replacement, op) => {
          checkHostile(bytesOf(JSON.stringify(mutate(value, path, replacement, op))));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses random JSON and random bytes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        if (text !== undefined) checkHostile(bytesOf(text));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        checkHostile(data);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses absurd nesting without overflowing the stack", () => {
    const n = 100_000;
    expect(reasonOf("[".repeat(n) + "]".repeat(n))).toBe(
      "$[0][0]: expected a statement kind (a string), got an array of 1",
    );
    expect(reasonOf("[".repeat(n))).toMatch(/^not JSON: /);
    const unary = `[["expr",1,${'["unary",1,"-",'.repeat(n)}["int",1,"1"]${"]".repeat(n)}]]`;
    expect(reasonOf(unary)).toMatch(
      /^\$\[0\](\[2\]){1}(\[3\]){999}: statements and expressions nest deeper than 1000$/,
    );
    const tries = `${'[["try",1,'.repeat(n)}[]${",[],[],[]]]".repeat(n)}`;
    expect(reasonOf(tries)).toMatch(/: statements and expressions nest deeper than 1000$/);
  });

  it("keeps code nested exactly MAX_NESTING deep, and encode refuses deeper code", () => {
    const nest = (depth: number): ScenarioCode => {
      let expr: Expr = { kind: "constant", line: 1, value: 1n };
      for (let d = 2; d < depth; d++) expr = { kind: "unary", line: 1, op: "-", operand: expr };
      return new ScenarioCode("deep.py", [{ kind: "expr", line: 1, value: expr }]);
    };
    const deepest = nest(MAX_NESTING);
    expect(difference(decoded(format.encode(deepest)).body, deepest.body)).toBeNull();
    expect(() => format.encode(nest(MAX_NESTING + 1))).toThrow(NotSupportedError);
  });
});

// ------------------------------------------------------------------------------------ exact reasons

describe("error reasons", () => {
  it("names the layer that failed: bytes, UTF-8, JSON, canonical spelling", () => {
    expect(thrown(() => format.decode("[]" as unknown as Uint8Array, "m.py"))).toMatchObject({
      filename: "m.py",
      reason: "expected bytes",
      message: "m.py: bad compiled code: expected bytes",
    });
    expect(reasonOf(Uint8Array.of(0x5b, 0xff, 0x5d))).toBe(
      "not UTF-8: 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
    );
    // An encoded lone surrogate is not UTF-8 (encode writes surrogates as \u escapes).
    expect(reasonOf(Uint8Array.of(0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d))).toBe(
      "not UTF-8: 'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte",
    );
    expect(reasonOf("")).toMatch(/^not JSON: /);
    expect(reasonOf(Uint8Array.of(0xef, 0xbb, 0xbf, 0x5b, 0x5d))).toMatch(/^not JSON: /);
    expect(reasonOf("[] ")).toBe("not in canonical form: byte 2 differs from what encode writes");
    expect(reasonOf('[["pass",1.0]]')).toBe("not in canonical form: byte 10 differs from what encode writes");
    expect(reasonOf('[["expr",1,["constant",1,"\\/"]]]')).toBe(
      "not in canonical form: byte 26 differs from what encode writes",
    );
    expect(reasonOf('[["expr",1,["constant",1,"\\uD800"]]]')).toBe(
      "not in canonical form: byte 28 differs from what encode writes",
    );
    expect(reasonOf('[["expr",1,["constant",1,"é\\u0041"]]]')).toBe(
      "not in canonical form: byte 28 differs from what encode writes",
    );
  });

  it("says where the shape is wrong, as a JSONPath", () => {
    const cases: [string, string][] = [
      ["{}", "$: expected a list of statements, got an object"],
      ['{"__proto__":[]}', "$: expected a list of statements, got an object"],
      ["[1]", "$[0]: expected a statement, got the number 1"],
      ["[[5]]", "$[0][0]: expected a statement kind (a string), got the number 5"],
      ["[[]]", "$[0][0]: expected a statement kind (a string), got nothing"],
      ['[["raise",1,[]]]', '$[0][2][0]: expected a raise operand kind ("value" or "call"), got nothing'],
      ['[["foo",1]]', '$[0][0]: unknown statement kind "foo"'],
      ['[["pass"]]', "$[0]: a 'pass' statement needs 2 items, got 1"],
      ['[["pass",1,2]]', "$[0]: a 'pass' statement needs 2 items, got 3"],
      ['[["pass",0]]', "$[0][1]: expected a line number (an integer >= 1), got the number 0"],
      ['[["pass",-1]]', "$[0][1]: expected a line number (an integer >= 1), got the number -1"],
      ['[["pass",1.5]]', "$[0][1]: expected a line number (an integer >= 1), got the number 1.5"],
      ['[["pass","1"]]', '$[0][1]: expected a line number (an integer >= 1), got the string "1"'],
      [
        '[["pass",9007199254740992]]',
        "$[0][1]: expected a line number (an integer >= 1), got the number 9007199254740992",
      ],
      ['[["importStar",1,"m",-1]]', "$[0][3]: expected an import level (an integer >= 0), got the number -1"],
      [
        '[["importStar",1,"m",0.5]]',
        "$[0][3]: expected an import level (an integer >= 0), got the number 0.5",
      ],
      ['[["importStar",1,null,0]]', "$[0][2]: expected a name (a string), got null"],
      ['[["import",1,[[1,null]]]]', "$[0][2][0][0]: expected a name (a string), got the number 1"],
      ['[["import",1,[["a"]]]]', "$[0][2][0]: an import alias needs 2 items, got 1"],
      ['[["import",1,["a"]]]', '$[0][2][0]: expected an import alias [name, asName], got the string "a"'],
      ['[["assign",1,"x",["name",1,"y"]]]', '$[0][2]: expected a list of names, got the string "x"'],
      ['[["delete",1,[true]]]', "$[0][2][0]: expected a name (a string), got true"],
      [
        '[["raise",1,["throw"]]]',
        '$[0][2][0]: expected a raise operand kind ("value" or "call"), got the string "throw"',
      ],
      [
        '[["raise",1,["call",["name",1,"E"],[],[["k"]]]]]',
        "$[0][2][3][0]: a keyword argument needs 2 items, got 1",
      ],
      ['[["try",1,[],[[1,null,null]],[],[]]]', "$[0][3][0]: an except handler needs 4 items, got 3"],
      [
        '[["try",1,[],[[0,null,null,[]]],[],[]]]',
        "$[0][3][0][0]: expected a line number (an integer >= 1), got the number 0",
      ],
      ['[["classDef",1,"C",{},[]]]', "$[0][3]: expected a list of expressions, got an object"],
      ['[["expr",1,["complex",1,"1j"]]]', '$[0][2][0]: unknown expression kind "complex"'],
      [
        '[["expr",1,["constant",1,5]]]',
        "$[0][2][2]: expected null, true, false or a string, got the number 5",
      ],
      [
        '[["expr",1,["constant",1,[]]]]',
        "$[0][2][2]: expected null, true, false or a string, got an array of 0",
      ],
      ['[["expr",1,["int",1,"007"]]]', '$[0][2][2]: expected an int\'s decimal digits, got the string "007"'],
      ['[["expr",1,["int",1,"-0"]]]', '$[0][2][2]: expected an int\'s decimal digits, got the string "-0"'],
      ['[["expr",1,["int",1,"0x1"]]]', '$[0][2][2]: expected an int\'s decimal digits, got the string "0x1"'],
      ['[["expr",1,["int",1,1]]]', "$[0][2][2]: expected an int's decimal digits, got the number 1"],
      ['[["expr",1,["float",1,"nan"]]]', '$[0][2][2]: expected a float\'s text, got the string "nan"'],
      ['[["expr",1,["float",1,"1.50"]]]', '$[0][2][2]: expected a float\'s text, got the string "1.50"'],
      ['[["expr",1,["float",1,""]]]', '$[0][2][2]: expected a float\'s text, got the string ""'],
      ['[["expr",1,["float",1,1.5]]]', "$[0][2][2]: expected a float's text, got the number 1.5"],
      ['[["expr",1,["bytes",1,"eAB"]]]', '$[0][2][2]: expected padded base64, got the string "eAB"'],
      ['[["expr",1,["bytes",1,"eA B5"]]]', '$[0][2][2]: expected padded base64, got the string "eA B5"'],
      ['[["expr",1,["bytes",1,"eA-5"]]]', '$[0][2][2]: expected padded base64, got the string "eA-5"'],
      ['[["expr",1,["ellipsis",1,null]]]', "$[0][2]: an 'ellipsis' expression needs 2 items, got 3"],
      [
        '[["expr",1,["unary",1,"!",["name",1,"x"]]]]',
        "$[0][2][2]: expected a unary operator ('-', '+' or '~'), got the string \"!\"",
      ],
      ['[["expr",1,["dict",1,[[["name",1,"k"]]]]]]', "$[0][2][2][0]: a dict entry needs 2 items, got 1"],
      [
        '[["expr",1,["attribute",1,["name",1,"a"],7]]]',
        "$[0][2][3]: expected a name (a string), got the number 7",
      ],
      [
        `[["expr",1,["name",1,7]],["pass",1],["expr",1,["name",1,"${"x".repeat(100)}"]]]`,
        "$[0][2][2]: expected a name (a string), got the number 7",
      ],
      [`[["pass",1],["${"k".repeat(100)}",1]]`, `$[1][0]: unknown statement kind "${"k".repeat(40)}…"`],
    ];
    for (const [text, reason] of cases) expect(reasonOf(text), text).toBe(reason);
  });

  it("accepts the canonical spelling of each constant type", () => {
    const text =
      '[["expr",1,["tuple",1,[["int",1,"-12"],["float",1,"NaN"],["float",1,"-0"],["float",1,"-Infinity"],' +
      '["float",1,"1e+300"],["bytes",1,""],["bytes",1,"eAB5"],["ellipsis",2],["constant",3,null]]]]]';
    const [stmt] = decoded(bytesOf(text)).body;
    const values = stmt?.kind === "expr" && stmt.value.kind === "tuple" ? stmt.value.elements : [];
    expect(values.map((e) => (e.kind === "constant" ? e.value : undefined))).toStrictEqual([
      -12n,
      Number.NaN,
      -0,
      Number.NEGATIVE_INFINITY,
      1e300,
      new PyBytes(new Uint8Array()),
      new PyBytes(Uint8Array.of(0x78, 0, 0x79)),
      Ellipsis,
      null,
    ]);
    expect(new TextDecoder().decode(format.encode(decoded(bytesOf(text))))).toBe(text);
  });

  it("encode refuses other executors' code and code outside the format", () => {
    const foreign = { filename: "other.pyc" };
    expect(() => format.encode(foreign)).toThrow(/not that of other\.pyc/);
    expect(() => format.encode(foreign)).toThrow(NotSupportedError);
    const bad = (stmt: unknown): ScenarioCode => new ScenarioCode("bad.py", [stmt as Stmt]);
    expect(() => format.encode(bad({ kind: "pass", line: 0 }))).toThrow(
      "cannot write the code of bad.py as importkit-ast: line 0 is not an integer >= 1",
    );
    expect(() => format.encode(bad({ kind: "importStar", line: 1, module: "m", level: -1 }))).toThrow(
      "import level -1 is not an integer >= 0",
    );
    expect(() => format.encode(bad({ kind: "importStar", line: 1, module: "m", level: -0 }))).toThrow(
      "import level -0 is not an integer >= 0",
    );
    expect(() =>
      format.encode(
        bad({ kind: "expr", line: 1, value: { kind: "constant", line: 1, value: new PyList() } }),
      ),
    ).toThrow("a constant of type list has no encoding");
    expect(() => format.encode(bad({ kind: "while", line: 1 }))).toThrow("unknown statement kind while");
  });

  it("is the scenario executor's format", () => {
    expect(new ScenarioExecutor().codeFormat).toBe(format);
    expect([format.name, format.version]).toEqual(["importkit-ast", 1]);
  });
});
