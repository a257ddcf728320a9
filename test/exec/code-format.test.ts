/**
 * The "importkit-ast" code format (version 2, binary): every compiled fixture module and random ASTs
 * round-trip exactly, and decode refuses everything encode did not write (truncations, byte flips,
 * insertions and deletions, random bytes, deep nesting, non-canonical strings and varints) with a
 * CodeFormatError naming the byte or the layer.
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

  it("writes lone surrogates as escapes in the string list, so the bytes are valid UTF-8", () => {
    const code = new ScenarioCode("s.py", [
      {
        kind: "assign",
        line: 1,
        targets: ["\udc00x"],
        value: { kind: "constant", line: 1, value: "a\ud800" },
      },
    ]);
    const data = format.encode(code);
    const list = '["\\udc00x","a\\ud800"]';
    // The list's length, the list, then: 1 statement, assign (3) at line 1, 1 target (string 0), str (3)
    // at line 1: string 1.
    expect([...data]).toEqual([list.length, ...bytesOf(list), 1, 3, 1, 1, 0, 3, 1, 1]);
    expect(difference(decoded(data).body, code.body)).toBeNull();
  });

  it("lists each string once, in order of first use", () => {
    const code = new ScenarioCode("o.py", [
      { kind: "assign", line: 1, targets: ["b", "a"], value: { kind: "name", line: 1, id: "b" } },
      { kind: "importStar", line: 2, module: "a", level: 0 },
    ]);
    const data = format.encode(code);
    expect(new TextDecoder().decode(data.subarray(1, 1 + (data[0] as number)))).toBe('["b","a"]');
  });
});

// ------------------------------------------------------------------------------------ hostile input

/**
 * importkit-ast v2 bytes by hand: the string list (strings, or its raw JSON text), then the body, each
 * number written as a varint (tags and small numbers are one byte) and each array as raw bytes.
 */
function asm(strings: readonly string[] | string, ...body: (number | readonly number[])[]): Uint8Array {
  const list = bytesOf(typeof strings === "string" ? strings : JSON.stringify(strings));
  const out: number[] = [];
  const varint = (n: number) => {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
  };
  varint(list.length);
  for (const b of list) out.push(b);
  for (const item of body) {
    if (typeof item === "number") varint(item);
    else for (const b of item) out.push(b);
  }
  return Uint8Array.from(out);
}

// Tags (code-format.ts): statements, then expressions.
const PASS = 5;
const EXPR = 6;
const ASSIGN = 3;
const RAISE = 7;
const TRY = 8;
const IMPORT = 0;
const IMPORT_STAR = 2;
const NONE = 0;
const STR = 3;
const INT = 4;
const FLOAT = 5;
const BYTES = 6;
const NAME = 8;
const UNARY = 10;
const TUPLE = 12;

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
    // Some flips are harmless at the format level (a line number, a letter of a name, another tag).
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

  it("refuses random insertions and deletions in the body, or decodes them to exactly what they encode", () => {
    // After the string list's length (a varint) and the list.
    let bodyStart = 0;
    let listLength = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const b = allKinds[bodyStart++] as number;
      listLength += (b & 0x7f) * scale;
      if (b < 0x80) break;
    }
    bodyStart += listLength;
    expect(bodyStart).toBeLessThan(allKinds.length);
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array({ maxLength: 4 }), fc.nat(3), (at, inserted, deleted) => {
        const i = bodyStart + (at % (allKinds.length - bodyStart));
        const data = Uint8Array.from([
          ...allKinds.subarray(0, i),
          ...inserted,
          ...allKinds.subarray(i + deleted),
        ]);
        checkHostile(data);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses random bytes, and random bodies after a valid string list", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        checkHostile(data);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (body) => {
        checkHostile(asm(["a", "1"], [...body]));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses absurd nesting without overflowing the stack", () => {
    const n = 100_000;
    const unary: number[] = [];
    for (let i = 0; i < n; i++) unary.push(UNARY, 1, 0);
    // Statement tag at byte 4 (after the list "[]" and the count), its expression at depth 2: the 1000th
    // unary, at byte 6 + 3 × 999, is at depth 1001.
    expect(reasonOf(asm([], 1, EXPR, 1, unary, NONE, 1))).toBe(
      "byte 3003: statements and expressions nest deeper than 1000",
    );
    const tries: number[] = [];
    for (let i = 0; i < n; i++) tries.push(TRY, 1, 1);
    expect(reasonOf(asm([], 1, tries))).toMatch(
      /^byte \d+: statements and expressions nest deeper than 1000$/,
    );
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
  it("names the layer that failed: bytes, the string list (UTF-8, JSON, spelling), the body", () => {
    expect(thrown(() => format.decode("[]" as unknown as Uint8Array, "m.py"))).toMatchObject({
      filename: "m.py",
      reason: "expected bytes",
      message: "m.py: bad compiled code: expected bytes",
    });
    expect(reasonOf(Uint8Array.of(3, 0x5b, 0xff, 0x5d, 0))).toBe(
      "strings: not UTF-8: 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
    );
    // An encoded lone surrogate is not UTF-8 (encode writes surrogates as \u escapes).
    expect(reasonOf(Uint8Array.of(7, 0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d, 0))).toBe(
      "strings: not UTF-8: 'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte",
    );
    expect(reasonOf(asm("", 0))).toMatch(/^strings: not JSON: /);
    expect(reasonOf(asm("\ufeff[]", 0))).toMatch(/^strings: not JSON: /);
    expect(reasonOf(asm("[ ]", 0))).toBe(
      "strings: not in canonical form: byte 1 differs from what encode writes",
    );
    expect(reasonOf(asm('["\\/"]', 0))).toBe(
      "strings: not in canonical form: byte 2 differs from what encode writes",
    );
    expect(reasonOf(asm('["\\uD800"]', 0))).toBe(
      "strings: not in canonical form: byte 4 differs from what encode writes",
    );
    expect(reasonOf(asm('["é\\u0041"]', 0))).toBe(
      "strings: not in canonical form: byte 4 differs from what encode writes",
    );
    expect(reasonOf(asm("{}", 0))).toBe("strings: not a list");
    expect(reasonOf(asm("[1]", 0))).toBe("strings: item 0 is not a string");
    expect(reasonOf(asm('["a","a"]', 0))).toBe('strings: "a" is listed twice');
  });

  it("says at which byte the body is wrong, and what is wrong there", () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), "byte 0: truncated: expected the strings' length"],
      [Uint8Array.of(0x80, 0), "byte 0: the strings' length is not in its shortest form"],
      [Uint8Array.of(9, 0x5b, 0x5d), "byte 0: the strings' length 9 is more than the 2 bytes left"],
      [asm([]), "byte 3: truncated: expected a statement count"],
      [asm([], 3, PASS, 1), "byte 3: a statement count 3 is more than the 2 bytes left"],
      [asm([], 1, 99, 1), "byte 4: unknown statement tag 99 (0–10)"],
      [asm([], 1, PASS), "byte 5: truncated: expected a line number"],
      [asm([], 1, PASS, 0), "byte 5: line 0 (lines start at 1)"],
      [asm([], 1, PASS, [0x81, 0x00]), "byte 5: a line number is not in its shortest form"],
      [
        asm([], 1, PASS, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10]),
        "byte 5: a line number is larger than 2^53 - 1",
      ],
      [
        asm([], 1, PASS, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x01]),
        "byte 5: a line number is larger than 2^53 - 1",
      ],
      [asm([], 1, PASS, 1, 0), "byte 6: 1 bytes follow the code"],
      [asm(["m"], 1, PASS, 1), "byte 9: 1 of the 1 strings are never used"],
      [asm(["m"], 1, IMPORT_STAR, 1, 1, 0), "byte 9: string 1 does not exist (there are 1)"],
      [
        asm(["a", "b"], 1, ASSIGN, 1, 2, 1, 0, NAME, 1, 0),
        "byte 14: string 1 is used before string 0 (strings are listed in order of first use)",
      ],
      [asm(["m"], 1, IMPORT, 1, 1, 0, 2), "byte 11: string 1 does not exist (there are 1)"],
      [asm([], 1, RAISE, 1, 3), "byte 6: unknown raise operand tag 3 (0 none, 1 value, 2 call)"],
      [asm([], 1, TRY, 1, 0, 1, 1, 2), "byte 9: an except type marker is 0 or 1, not 2"],
      [asm([], 1, EXPR, 1, 15, 1), "byte 6: unknown expression tag 15 (0–14)"],
      [asm([], 1, EXPR, 1, UNARY, 1, 3, NONE, 1), "byte 8: unknown unary operator 3 (0 '-', 1 '+', 2 '~')"],
      [asm(["007"], 1, EXPR, 1, INT, 1, 0), 'byte 13: expected an int\'s decimal digits, got "007"'],
      [asm(["-0"], 1, EXPR, 1, INT, 1, 0), 'byte 12: expected an int\'s decimal digits, got "-0"'],
      [asm(["0x1"], 1, EXPR, 1, INT, 1, 0), 'byte 13: expected an int\'s decimal digits, got "0x1"'],
      [asm(["nan"], 1, EXPR, 1, FLOAT, 1, 0), 'byte 13: expected a float\'s text, got "nan"'],
      [asm(["1.50"], 1, EXPR, 1, FLOAT, 1, 0), 'byte 14: expected a float\'s text, got "1.50"'],
      [asm([""], 1, EXPR, 1, FLOAT, 1, 0), 'byte 10: expected a float\'s text, got ""'],
      [asm([], 1, EXPR, 1, BYTES, 1, 5, [1, 2]), "byte 8: a bytes length 5 is more than the 2 bytes left"],
      [asm(["1\u007f2"], 1, EXPR, 1, INT, 1, 0), 'byte 13: expected an int\'s decimal digits, got "1\\x7f2"'],
      [
        asm([`${"x".repeat(100)}`], 1, EXPR, 1, INT, 1, 0),
        `byte 110: expected an int's decimal digits, got "${"x".repeat(40)}…"`,
      ],
    ];
    for (const [data, reason] of cases)
      expect(reasonOf(data), Buffer.from(data).toString("hex")).toBe(reason);
  });

  it("accepts the canonical spelling of each constant type", () => {
    const data = asm(
      ["-12", "NaN", "-0", "-Infinity", "1e+300", "s"],
      [1, EXPR, 1, TUPLE, 1, 10],
      [INT, 1, 0, FLOAT, 1, 1, FLOAT, 1, 2, FLOAT, 1, 3, FLOAT, 1, 4],
      [BYTES, 1, 0, BYTES, 1, 3, 0x78, 0, 0x79, 7, 2, NONE, 3, STR, 3, 5],
    );
    const [stmt] = decoded(data).body;
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
      "s",
    ]);
    expect([...format.encode(decoded(data))]).toEqual([...data]);
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
    expect([format.name, format.version]).toEqual(["importkit-ast", 2]);
  });
});
