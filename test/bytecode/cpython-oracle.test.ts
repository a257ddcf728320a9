/**
 * What importkit writes, read back by the real CPython: every corpus pyc re-written by `writePyc` (and random
 * values written by `encodeMarshal` at every marshal version) is loaded with that version's own `marshal`
 * and dumped by the corpus dumper (tools/dump_pyc.py); the dump must equal importkit's own reading.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  corpusJsonText,
  ELLIPSIS,
  encodeMarshal,
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  type MarshalValue,
  type MarshalVersion,
  readPyc,
  STOP_ITERATION,
  toCorpusJson,
  writePyc,
} from "../../src/bytecode/index.js";
import { intArb, stringArb } from "./support/arbitrary.js";
import { CORPUS, corpusEntries, readBytes, VERSIONS } from "./support/corpus.js";
import { pythonFor, runPython } from "./support/python.js";

const DUMP = `
import sys, json, importlib.util
spec = importlib.util.spec_from_file_location("dump_pyc", sys.argv[1])
dump_pyc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dump_pyc)
for line in sys.stdin.read().split("\\n"):
    if not line:
        continue
    kind, data = line[0], bytes.fromhex(line[1:])
    d = dump_pyc.dump_pyc_bytes(data) if kind == "p" else dump_pyc.dump_raw_bytes(data)
    del d["meta"]
    print(json.dumps(d, ensure_ascii=True, separators=(",", ":")))
`;

function cpythonDumps(python: string, items: { kind: "p" | "r"; bytes: Uint8Array }[]): string[] {
  const input = items.map((i) => i.kind + Buffer.from(i.bytes).toString("hex")).join("\n");
  return runPython(python, DUMP, input, [`${CORPUS}/tools/dump_pyc.py`])
    .trimEnd()
    .split("\n");
}

/** Values CPython loads back to the same dump: set elements and dict keys distinct under Python's ==. */
const distinctStrings = fc.uniqueArray(stringArb, { maxLength: 4 });
const plainValue: fc.Arbitrary<MarshalValue> = fc.letrec<{ v: MarshalValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    fc.constantFrom<MarshalValue>(null, true, false, ELLIPSIS, STOP_ITERATION),
    intArb,
    fc.double().map((x) => new MarshalFloat(x)),
    fc.tuple(fc.double(), fc.double()).map(([r, i]) => new MarshalComplex(r, i)),
    stringArb,
    fc.uint8Array({ maxLength: 10 }),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.array(tie("v"), { maxLength: 3 }).map((items) => new MarshalList(items)),
    fc
      .tuple(distinctStrings, fc.array(tie("v"), { minLength: 4, maxLength: 4 }))
      .map(
        ([keys, values]) =>
          new MarshalDict(keys.map((k, i) => [k, values[i]!] as [MarshalValue, MarshalValue])),
      ),
    distinctStrings.map((items) => new MarshalSet("frozenset", items)),
    distinctStrings.map((items) => new MarshalSet("set", items)),
    tie("v").map((v) => [v, v]),
  ),
})).v;

describe("CPython reads what importkit writes", () => {
  for (const version of VERSIONS) {
    const python = pythonFor(version);
    it.skipIf(python === undefined)(
      `CPython ${version}: re-written corpus pycs load and dump identically`,
      () => {
        const entries = corpusEntries().filter((e) => e.kind === "pyc" && e.version === version);
        const written = entries.map((e) => {
          const pyc = readPyc(readBytes(e.path));
          const bytes = writePyc(pyc.code, pyc.header);
          const mine = readPyc(bytes);
          return {
            bytes,
            expected: corpusJsonText(toCorpusJson({ bytes, header: mine.header, value: mine.code })),
          };
        });
        const got = cpythonDumps(
          python!,
          written.map((w) => ({ kind: "p", bytes: w.bytes })),
        );
        expect(got).toEqual(written.map((w) => w.expected));
      },
    );
  }

  for (const version of ["3.11", "3.12", "3.13"] as const) {
    const python = pythonFor(version);
    it.skipIf(python === undefined)(
      `CPython ${version}: derived varnames/cellvars/freevars/nlocals agree`,
      () => {
        const script = `
import marshal, sys, json
def walk(co, out):
    out.append([list(co.co_varnames), list(co.co_cellvars), list(co.co_freevars), co.co_nlocals])
    for c in co.co_consts:
        if hasattr(c, "co_consts"):
            walk(c, out)
    return out
print(json.dumps([walk(marshal.loads(open(p, "rb").read()[16:]), []) for p in sys.stdin.read().split("\\n")]))`;
        const entries = corpusEntries().filter((e) => e.kind === "pyc" && e.version === version);
        const expected = JSON.parse(runPython(python!, script, entries.map((e) => e.path).join("\n")));
        const walk = (v: MarshalValue, out: unknown[]): unknown[] => {
          if (v !== null && typeof v === "object" && "type" in v && v.type === "code") {
            out.push([v.varnames, v.cellvars, v.freevars, v.nlocals]);
            for (const c of v.consts) walk(c, out);
          }
          return out;
        };
        expect(entries.map((e) => walk(readPyc(readBytes(e.path)).code, []))).toEqual(expected);
      },
    );
  }

  const python = pythonFor("3.13") ?? pythonFor("3.11");
  it.skipIf(python === undefined)("random values at marshal versions 0–4 load and dump identically", () => {
    const values = fc.sample(plainValue, { numRuns: 300, seed: 42 });
    const items = values.flatMap((value) =>
      ([0, 1, 2, 3, 4] as MarshalVersion[]).map((version) => ({
        kind: "r" as const,
        bytes: encodeMarshal(value, { version }),
        expected: corpusJsonText(toCorpusJson({ bytes: 0, value })),
      })),
    );
    const got = cpythonDumps(python!, items);
    expect(got.map((text) => text.replace(/^\{"size":\d+,/, '{"size":0,'))).toEqual(
      items.map((i) => i.expected),
    );
  });
});
