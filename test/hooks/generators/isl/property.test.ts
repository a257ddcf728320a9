/**
 * Properties: whatever the bytes — random bytes, random token soups, valid interfaces mutated at random —
 * the generator returns both modules or throws an IslSyntaxError, nothing else, and quickly (large and
 * pathological inputs take time linear in their size). Random valid interfaces always generate, and the
 * modules run in importkit's executor and in CPython with every constant's value intact.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pythonFloatRepr } from "../../../../src/bytecode/float-text.js";
import { IslSyntaxError, islGenerator, parseIsl } from "../../../../src/hooks/generators/isl/index.js";
import { KEYWORDS } from "../../../../src/hooks/generators/isl/lexer.js";
import { createImportSystem, MemFileSystem, type PyValue } from "../../../../src/index.js";

const CALC_ISL = `(* comments like this, may span lines *)
INTERFACE Calc;
TYPE Number = REAL;
TYPE Names = SEQUENCE OF STRING;
TYPE Color = ENUMERATION Red, Green, Blue END;
TYPE Point = RECORD x : REAL, y : REAL END;
EXCEPTION DivideByZero;
EXCEPTION BadName : STRING;
CONSTANT Version : INTEGER = 3;
CONSTANT Name : STRING = "calc \\"1\\"";
TYPE Calculator = OBJECT
  METHODS
    SetValue (v : REAL),
    GetValue () : REAL,
    Divide (IN v : REAL, OUT q : Number, INOUT p : Point) RAISES DivideByZero, BadName END,
    ASYNCHRONOUS Reset ()
  END;
`;

function generate(bytes: Uint8Array | string) {
  return islGenerator.generate({
    bytes: typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes,
    path: "/w/calc.isl",
    stem: "calc",
    packageName: "",
  });
}

/** Generate; the only acceptable failure is an IslSyntaxError with a sane position. */
function generatesOrRefuses(bytes: Uint8Array | string): boolean {
  try {
    const out = generate(bytes);
    return typeof out[""] === "string" && typeof out.__skel === "string";
  } catch (error) {
    if (!(error instanceof IslSyntaxError)) throw error;
    if (!(error.line >= 1 && error.column >= 1)) throw new Error(`bad position in ${error.message}`);
    if (!error.message.startsWith(`/w/calc.isl:${error.line}:${error.column}: `)) throw error;
    return true;
  }
}

const VOCABULARY = [
  ...KEYWORDS,
  "Calc",
  "Get-Value",
  "x",
  "class",
  "self",
  "None",
  "A-",
  "a--b",
  "Get_Value",
  ";",
  ",",
  ":",
  "=",
  "(",
  ")",
  "-",
  "+",
  "0",
  "42",
  "-7",
  "3.5",
  "1e999",
  "2e",
  "12ab",
  "9".repeat(120),
  '"str"',
  '"unterminated',
  '"bad \\q"',
  '"\\"',
  "(* c *)",
  "(*",
  "*)",
  "(* (* *)",
  "@",
  "\u00e9",
  "\u{1F600}",
  "\t",
  "\r\n",
  "\r",
  "\u0001",
  "\0",
  "_",
  ".",
];

const soup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(" ", "", "\n")), { maxLength: 80 })
  .map((parts) => parts.map(([token, space]) => token + space).join(""));

/** A valid file with a random edit: a range deleted, duplicated or replaced by vocabulary. */
const mutated = fc
  .tuple(
    fc.constantFrom(CALC_ISL),
    fc.nat(),
    fc.nat({ max: 40 }),
    fc.constantFrom("delete", "duplicate", "replace", "truncate"),
    fc.constantFrom(...VOCABULARY),
  )
  .map(([text, at, length, edit, token]) => {
    const start = at % (text.length + 1);
    const end = Math.min(text.length, start + length);
    switch (edit) {
      case "delete":
        return text.slice(0, start) + text.slice(end);
      case "duplicate":
        return text.slice(0, end) + text.slice(start, end) + text.slice(end);
      case "replace":
        return text.slice(0, start) + token + text.slice(end);
      default:
        return text.slice(0, start);
    }
  });

describe("ISL generator: hostile input", () => {
  it("random bytes: both modules or an IslSyntaxError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), generatesOrRefuses), { numRuns: 500 });
    const prefixed = fc.uint8Array({ maxLength: 100 }).map((tail) => {
      const head = new TextEncoder().encode("INTERFACE X;\n");
      const bytes = new Uint8Array(head.length + tail.length);
      bytes.set(head);
      bytes.set(tail, head.length);
      return bytes;
    });
    fc.assert(fc.property(prefixed, generatesOrRefuses), { numRuns: 300 });
  });

  it("token soups: both modules or an IslSyntaxError", () => {
    fc.assert(fc.property(soup, generatesOrRefuses), { numRuns: 1000 });
    fc.assert(
      fc.property(soup, (s) => generatesOrRefuses(`INTERFACE Calc;\n${s}`)),
      { numRuns: 1000 },
    );
  });

  it("mutated valid files: both modules or an IslSyntaxError", () => {
    fc.assert(fc.property(mutated, generatesOrRefuses), { numRuns: 1500 });
    // and double mutations
    fc.assert(
      fc.property(mutated, fc.nat(), fc.constantFrom(...VOCABULARY), (text, at, token) => {
        const i = at % (text.length + 1);
        return generatesOrRefuses(text.slice(0, i) + token + text.slice(i));
      }),
      { numRuns: 1000 },
    );
  });

  it("large and pathological inputs take linear time", () => {
    const n = 20000;
    const inputs: [string, string][] = [
      [
        "a long alias chain",
        `INTERFACE X;\n${Array.from({ length: n }, (_, i) => `TYPE T${i} = T${i + 1};`).join("\n")}\nTYPE T${n} = REAL;`,
      ],
      [
        "a long alias cycle",
        `INTERFACE X;\n${Array.from({ length: n }, (_, i) => `TYPE T${i} = T${(i + 1) % n};`).join("\n")}`,
      ],
      [
        "a long record chain with back edges",
        `INTERFACE X;\n${Array.from({ length: n }, (_, i) => `TYPE R${i} = RECORD a : R${(i + 1) % n}, b : R0 END;`).join("\n")}`,
      ],
      [
        "a long enumeration",
        `INTERFACE X; TYPE E = ENUMERATION ${Array.from({ length: n * 5 }, (_, i) => `v${i}`).join(", ")} END;`,
      ],
      [
        "many methods",
        `INTERFACE X; TYPE O = OBJECT METHODS ${Array.from({ length: n }, (_, i) => `m${i} (a : REAL, b : O) : O`).join(", ")} END;`,
      ],
      ["a huge comment", `INTERFACE X; (* ${"( * ) (".repeat(200000)} *)`],
      ["an unterminated comment", `INTERFACE X; (* ${"(* ".repeat(300000)}`],
      ["a huge string", `INTERFACE X; CONSTANT S : STRING = "${'\\\\\\"a'.repeat(200000)}";`],
      ["an unterminated string", `INTERFACE X; CONSTANT S : STRING = "${"a".repeat(1000000)}`],
      ["a long name", `INTERFACE ${"a-".repeat(300000)}b;`],
      [
        "many duplicates",
        `INTERFACE X; TYPE R = RECORD ${Array.from({ length: n }, () => "x : REAL").join(", ")} END;`,
      ],
      [
        "many unknown types",
        `INTERFACE X;\n${Array.from({ length: n }, (_, i) => `TYPE T${i} = U${i};`).join("\n")}`,
      ],
      ["a long run of commas", `INTERFACE X; TYPE E = ENUMERATION a${",".repeat(500000)}`],
      ["many lines", `INTERFACE X;${"\n".repeat(1000000)}TYPE A = B;`],
    ];
    for (const [what, text] of inputs) {
      const start = performance.now();
      generatesOrRefuses(text);
      const ms = performance.now() - start;
      expect(ms, what).toBeLessThan(5000);
    }
  });
});

// ---- random valid interfaces ----

const NAME_POOL = [
  "class",
  "None",
  "True",
  "self",
  "def",
  "in",
  "import",
  "lambda",
  "match",
  "TYPES",
  "SOURCE",
  "CLIENT",
  "CONSTANTS",
  "EXCEPTIONS",
  "TYPE-ID",
  "EXCEPTION-ID",
  "VALUE-TYPE",
  "CLIENT-MODULE",
  "calc",
  "Calc",
];
const nameArb = fc
  .oneof(
    fc.constantFrom(...NAME_POOL),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,4}(-[A-Za-z0-9]{1,3}){0,2}$/),
  )
  .filter((n) => !KEYWORDS.has(n));

const PRIMITIVES = [
  "INTEGER",
  "SHORT INTEGER",
  "LONG INTEGER",
  "CARDINAL",
  "SHORT CARDINAL",
  "LONG CARDINAL",
  "REAL",
  "SHORT REAL",
  "LONG REAL",
  "BOOLEAN",
  "STRING",
  "BYTE",
] as const;
type Primitive = (typeof PRIMITIVES)[number];

/** A type use: a primitive, or (when there is one) the declared type `index` picks. */
const refArb = fc.record({ primitive: fc.constantFrom(...PRIMITIVES), named: fc.boolean(), index: fc.nat() });
type RefSeed = { primitive: Primitive; named: boolean; index: number };

const RANGES: Partial<Record<Primitive, [bigint, bigint]>> = {
  "SHORT INTEGER": [-(2n ** 15n), 2n ** 15n - 1n],
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  "LONG INTEGER": [-(2n ** 63n), 2n ** 63n - 1n],
  "SHORT CARDINAL": [0n, 2n ** 16n - 1n],
  CARDINAL: [0n, 2n ** 32n - 1n],
  "LONG CARDINAL": [0n, 2n ** 64n - 1n],
  BYTE: [0n, 255n],
};

/** A constant: its type, its ISL text and the Python value it must have. */
const constantArb = fc.constantFrom(...PRIMITIVES).chain((type) => {
  const range = RANGES[type];
  if (range !== undefined) {
    return fc
      .bigInt({ min: range[0], max: range[1] })
      .map((v) => ({ type, text: String(v), value: v as PyValue }));
  }
  if (type === "BOOLEAN")
    return fc.boolean().map((v) => ({ type, text: v ? "TRUE" : "FALSE", value: v as PyValue }));
  if (type === "STRING") {
    return fc.string({ unit: "binary", maxLength: 12 }).map((s) => {
      const clean = s.replace(/[\0\ud800-\udfff]/gu, ""); // NUL and lone surrogates cannot be written
      const text = `"${clean.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!)}"`;
      return { type, text, value: clean as PyValue };
    });
  }
  const limit = type === "SHORT REAL" ? 3.4e38 : Number.MAX_VALUE;
  return fc.double({ min: -limit, max: limit, noNaN: true }).map((v) => ({
    type,
    text: `${v < 0 || Object.is(v, -0) ? "-" : ""}${Math.abs(v).toExponential()}`,
    value: v as PyValue,
  }));
});

const methodArb = fc.record({
  name: nameArb,
  asynchronous: fc.boolean(),
  params: fc.uniqueArray(
    fc.record({ name: nameArb, mode: fc.constantFrom("", "IN ", "OUT ", "INOUT "), type: refArb }),
    {
      selector: (p) => p.name,
      maxLength: 4,
    },
  ),
  result: fc.option(refArb),
  raises: fc.array(fc.nat(), { maxLength: 3 }),
});

const declarationArb = fc.record({
  name: nameArb,
  kind: fc.constantFrom("alias", "sequence", "enumeration", "record", "object", "exception", "constant"),
  ref: refArb,
  exceptionHasValue: fc.boolean(),
  values: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5 }),
  fields: fc.uniqueArray(fc.record({ name: nameArb, type: refArb }), {
    selector: (f) => f.name,
    minLength: 1,
    maxLength: 4,
  }),
  methods: fc.uniqueArray(methodArb, { selector: (m) => m.name, maxLength: 4 }),
  constant: constantArb,
});

const interfaceArb = fc.record({
  name: nameArb,
  declarations: fc.uniqueArray(declarationArb, { selector: (d) => d.name, maxLength: 10 }),
});

interface Sample {
  readonly text: string;
  /** Python name → the value the constant must have. */
  readonly constants: Record<string, PyValue>;
}

const pyName = (n: string) => {
  const name = n.replaceAll("-", "_");
  const keywords = ["class", "None", "True", "False", "def", "in", "import", "lambda"];
  return RESERVED_NAMES.has(name) || keywords.includes(name) ? `${name}_` : name;
};

/** ISL text for a random interface: references pick declared types so that nothing is cyclic. */
type InterfaceSeed = typeof interfaceArb extends fc.Arbitrary<infer T> ? T : never;

function render(seed: InterfaceSeed): Sample {
  const decls = seed.declarations;
  const structured = decls
    .filter((d) => ["sequence", "enumeration", "record", "object"].includes(d.kind))
    .map((d) => d.name);
  const notRecords = decls
    .filter((d) => ["sequence", "enumeration", "object"].includes(d.kind))
    .map((d) => d.name);
  const anyType = decls.filter((d) => d.kind !== "exception" && d.kind !== "constant").map((d) => d.name);
  const exceptions = decls.filter((d) => d.kind === "exception").map((d) => d.name);
  const ref = (r: RefSeed, pool: string[]) =>
    r.named && pool.length > 0 ? pool[r.index % pool.length]! : r.primitive;
  const constants: Record<string, PyValue> = {};
  const lines = [`INTERFACE ${seed.name};`];
  for (const d of decls) {
    switch (d.kind) {
      case "alias":
        lines.push(`TYPE ${d.name} = ${ref(d.ref, structured)};`);
        break;
      case "sequence":
        lines.push(`TYPE ${d.name} = SEQUENCE OF ${ref(d.ref, anyType)};`);
        break;
      case "enumeration":
        lines.push(`TYPE ${d.name} = ENUMERATION ${d.values.join(", ")} END;`);
        break;
      case "record":
        lines.push(
          `TYPE ${d.name} = RECORD ${d.fields.map((f) => `${f.name} : ${ref(f.type, notRecords)}`).join(", ")} END;`,
        );
        break;
      case "object": {
        const methods = d.methods.map((m) => {
          const params = m.params.map(
            (p) => `${m.asynchronous ? "" : p.mode}${p.name} : ${ref(p.type, anyType)}`,
          );
          let text = `${m.asynchronous ? "ASYNCHRONOUS " : ""}${m.name} (${params.join(", ")})`;
          if (!m.asynchronous && m.result !== null) text += ` : ${ref(m.result, anyType)}`;
          const raises = [
            ...new Set(m.raises.map((i) => exceptions[i % Math.max(1, exceptions.length)])),
          ].filter((e): e is string => e !== undefined);
          if (!m.asynchronous && raises.length > 0) text += ` RAISES ${raises.join(", ")} END`;
          return text;
        });
        lines.push(
          `TYPE ${d.name} = OBJECT${methods.length > 0 ? ` METHODS ${methods.join(",\n  ")}` : ""} END;`,
        );
        break;
      }
      case "exception":
        lines.push(`EXCEPTION ${d.name}${d.exceptionHasValue ? ` : ${ref(d.ref, anyType)}` : ""};`);
        break;
      case "constant":
        lines.push(`CONSTANT ${d.name} : ${d.constant.type} = ${d.constant.text};`);
        constants[pyName(d.name)] = d.constant.value;
        break;
    }
  }
  return { text: `${lines.join("\n")}\n`, constants };
}

const sampleArb = interfaceArb.map(render);

async function runInExecutor(sample: Sample): Promise<Record<string, PyValue>> {
  const out = generate(sample.text);
  const mem = MemFileSystem.fromFiles({ "/w/calc.py": out[""]!, "/w/calc__skel.py": out.__skel! });
  const system = createImportSystem({ fs: mem });
  system.path.push("/w");
  system.sys.dontWriteBytecode = true;
  await system.importModule("calc__skel");
  const calc = await system.importModule("calc");
  return Object.fromEntries(Object.keys(sample.constants).map((k) => [k, calc.getAttr(k)]));
}

/** A constant's value as the CPython side reports it: str itself, everything else its repr. */
function pythonText(value: PyValue): PyValue {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonFloatRepr(value);
  return value;
}

const RUN_ALL_PY = `
import json, sys, types
samples = json.load(sys.stdin)
results = []
for s in samples:
    for name in ('calc', 'calc__skel'):
        sys.modules.pop(name, None)
    client = types.ModuleType('calc')
    sys.modules['calc'] = client
    exec(compile(s['client'], '/w/calc.isl', 'exec'), client.__dict__)
    skel = types.ModuleType('calc__skel')
    sys.modules['calc__skel'] = skel
    exec(compile(s['skel'], '/w/calc.isl', 'exec'), skel.__dict__)
    results.append({k: (v if isinstance(v, str) else repr(v)) for k in s['constants'] for v in [getattr(client, k)]})
print(json.dumps(results))
`;

import { RESERVED_NAMES } from "../../../../src/hooks/generators/isl/python-names.js";

const python = (() => {
  const r = spawnSync("python3", ["-I", "-S", "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"], {
    encoding: "utf8",
  });
  return r.status === 0 && r.stdout.trim() === "True" ? "python3" : undefined;
})();

describe("ISL generator: random valid interfaces", () => {
  it("parse, generate, and run in importkit's executor with every constant intact", async () => {
    await fc.assert(
      fc.asyncProperty(sampleArb, async (sample) => {
        expect(() => parseIsl(sample.text)).not.toThrow();
        const values = await runInExecutor(sample);
        for (const [k, v] of Object.entries(sample.constants)) {
          if (typeof v === "number") expect(Object.is(values[k], v), k).toBe(true);
          else expect(values[k], k).toEqual(v);
        }
        const again = generate(sample.text);
        expect(again).toEqual(generate(sample.text));
      }),
      { numRuns: 150 },
    );
  });

  it.skipIf(python === undefined)("run in CPython 3.11 with every constant intact", () => {
    const samples = fc.sample(sampleArb, { numRuns: 300, seed: 1999 });
    const payload = samples.map((s) => {
      const out = generate(s.text);
      return { client: out[""], skel: out.__skel, constants: Object.keys(s.constants) };
    });
    const r = spawnSync(python!, ["-I", "-S", "-B", "-c", RUN_ALL_PY], {
      input: JSON.stringify(payload),
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { PATH: process.env.PATH ?? "", PYTHONHASHSEED: "0" },
    });
    expect(r.stderr).toBe("");
    const results = JSON.parse(r.stdout) as Record<string, string>[];
    expect(results).toEqual(
      samples.map((s) => Object.fromEntries(Object.entries(s.constants).map(([k, v]) => [k, pythonText(v)]))),
    );
  });
});
