/**
 * Malformed input: every failure is a MarshalError with CPython's message, exception type and an offset —
 * never a JS RangeError/TypeError, never a hang, and no allocation sized by a hostile length.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeMarshal,
  type MarshalDict,
  MarshalError,
  type MarshalError as MarshalErrorType,
  type MarshalList,
  type MarshalSet,
  readPyc,
} from "../../src/bytecode/index.js";
import { CORPUS, readBytes } from "./support/corpus.js";
import { pythonFor, runPython } from "./support/python.js";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
const cat = (...parts: (Uint8Array | string)[]) =>
  Uint8Array.from(Buffer.concat(parts.map((p) => (typeof p === "string" ? ascii(p) : p))));
const i32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
};

function decodeError(bytes: Uint8Array, marshalVersion = 5): MarshalErrorType {
  try {
    decodeMarshal(bytes, { layout: "3.11", marshalVersion });
  } catch (error) {
    if (error instanceof MarshalError) return error;
    throw new Error(`not a MarshalError: ${String(error)}`);
  }
  throw new Error("decoded without an error");
}

const nested = (depth: number) => cat(")\x01".repeat(depth), "N");

/** Inputs CPython rejects, with what CPython 3.11 raises (checked against the real one below). */
const BAD: [label: string, bytes: Uint8Array, type: string, reason: string][] = [
  ["empty input", ascii(""), "EOFError", "EOF read where object expected"],
  ["NULL at top level", ascii("0"), "TypeError", "NULL object in marshal data for object"],
  ["NULL in a tuple", ascii(")\x010"), "TypeError", "NULL object in marshal data for tuple"],
  ["NULL in a list", cat("[", i32(1), "0"), "TypeError", "NULL object in marshal data for list"],
  ["NULL in a set", cat("<", i32(1), "0"), "TypeError", "NULL object in marshal data for set"],
  ["tuple too short", ascii(")\x02N"), "EOFError", "EOF read where object expected"],
  ["int cut", ascii("i\x01\x00"), "EOFError", "marshal data too short"],
  ["short string cut", ascii("z\x05ab"), "EOFError", "marshal data too short"],
  ["unknown code ?", ascii("?"), "ValueError", "bad marshal data (unknown type code)"],
  ["unknown code 0x01", hex("01"), "ValueError", "bad marshal data (unknown type code)"],
  ["ref into an empty list", cat("r", i32(0)), "ValueError", "bad marshal data (invalid reference)"],
  [
    "negative ref",
    cat(")\x02", hex("e9"), i32(1), "r", i32(-1)),
    "ValueError",
    "bad marshal data (invalid reference)",
  ],
  [
    "unnormalized long",
    cat("l", i32(1), hex("0000")),
    "ValueError",
    "bad marshal data (unnormalized long data)",
  ],
  [
    "long digit out of range",
    cat("l", i32(1), hex("0080")),
    "ValueError",
    "bad marshal data (digit out of range in long)",
  ],
  ["negative tuple size", cat("(", i32(-1)), "ValueError", "bad marshal data (tuple size out of range)"],
  ["negative list size", cat("[", i32(-1)), "ValueError", "bad marshal data (list size out of range)"],
  ["negative set size", cat("<", i32(-1)), "ValueError", "bad marshal data (set size out of range)"],
  [
    "negative bytes size",
    cat("s", i32(-1)),
    "ValueError",
    "bad marshal data (bytes object size out of range)",
  ],
  ["negative str size", cat("u", i32(-1)), "ValueError", "bad marshal data (string size out of range)"],
  ["negative ascii size", cat("a", i32(-5)), "ValueError", "bad marshal data (string size out of range)"],
  ["2 GB bytes in 5", cat("s", i32(0x7fffffff)), "EOFError", "marshal data too short"],
  ["2 GB str", cat("u", i32(0x7fffffff), "abc"), "EOFError", "marshal data too short"],
  ["unhashable set element", cat("<", i32(1), "[", i32(0)), "TypeError", "unhashable type: 'list'"],
  ["set in itself", cat(hex("bc"), i32(1), "r", i32(0)), "TypeError", "unhashable type: 'set'"],
  ["unhashable dict key", cat("{[", i32(0), "N0"), "TypeError", "unhashable type: 'list'"],
  ["dict as its own key", cat(hex("fb"), "r", i32(0), "N0"), "TypeError", "unhashable type: 'dict'"],
  ["unhashable key in a tuple", cat("<", i32(1), ")\x01[", i32(0)), "TypeError", "unhashable type: 'list'"],
  [
    "ref to an unfinished frozenset",
    cat(hex("be"), i32(1), "r", i32(0)),
    "ValueError",
    "bad marshal data (invalid reference)",
  ],
  ["recursion limit", nested(2000), "ValueError", "recursion limit exceeded"],
  [
    "invalid start byte",
    cat("u", i32(2), hex("fffe")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
  ],
  [
    "invalid continuation",
    cat("u", i32(3), hex("41e441")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode byte 0xe4 in position 1: invalid continuation byte",
  ],
  [
    "unexpected end",
    cat("u", i32(3), hex("41e4b8")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data",
  ],
  [
    "half a surrogate",
    cat("u", i32(2), hex("eda0")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
  ],
  [
    "overlong",
    cat("u", i32(2), hex("c0af")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte",
  ],
  [
    "above U+10FFFF",
    cat("u", i32(4), hex("f4908080")),
    "UnicodeDecodeError",
    "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte",
  ],
  ["bad text float", ascii("f\x03abc"), "ValueError", "could not convert string to float: 'abc'"],
  ["slice before 3.14", ascii(":NNN"), "ValueError", "bad marshal data (unknown type code)"],
];

describe("bad input: typed errors with CPython's messages", () => {
  for (const [label, bytes, type, reason] of BAD) {
    it(label, () => {
      const error = decodeError(bytes, label === "slice before 3.14" ? 4 : 5);
      expect([error.pythonType, error.reason]).toEqual([type, reason]);
      expect(error.offset).toBeGreaterThanOrEqual(0);
      expect(error.offset).toBeLessThanOrEqual(bytes.length);
    });
  }

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("CPython 3.11's marshal.loads raises the same for each of them", () => {
    const script = `
import marshal, sys, json
out = []
for line in sys.stdin.read().split():
    try:
        marshal.loads(bytes.fromhex(line)); out.append(None)
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))`;
    const input = BAD.map(([, b]) => Buffer.from(b).toString("hex") || "00").join("\n");
    const got = JSON.parse(runPython(python!, script, input)) as ([string, string] | null)[];
    // The empty input cannot be written as a hex line; check it by hand.
    const expected = BAD.map(([label, , type, reason]) =>
      label === "empty input" ? ["ValueError", "bad marshal data (unknown type code)"] : [type, reason],
    );
    expect(got).toEqual(expected);
  });

  it("accepts the deepest nesting CPython accepts (1999 tuples + a leaf)", () => {
    expect(() => decodeMarshal(nested(1999), { layout: "3.11" })).not.toThrow();
  });

  it("names the file on the error", () => {
    try {
      decodeMarshal(ascii("?"), { layout: "3.11", filename: "m.pyc" });
    } catch (error) {
      expect(error).toBeInstanceOf(MarshalError);
      expect((error as MarshalError).filename).toBe("m.pyc");
      expect((error as MarshalError).message).toContain("m.pyc");
    }
  });

  it("fails on a huge tuple/list/set count before allocating", () => {
    for (const code of ["(", "[", "<", ">"]) {
      const error = decodeError(cat(code, i32(0x7fffffff), "NNNN"));
      expect(error.pythonType).toBe("EOFError");
    }
    expect(decodeError(cat("l", i32(0x7fffffff), "\x01\x00")).pythonType).toBe("EOFError");
  });

  it("trailing data: ignored by default (as marshal.loads), rejected on request", () => {
    expect(decodeMarshal(ascii("NXYZ"), { layout: "3.11" })).toEqual({ value: null, end: 1 });
    const error = (() => {
      try {
        decodeMarshal(ascii("NXYZ"), { layout: "3.11", trailing: "error" });
      } catch (e) {
        return e as MarshalError;
      }
    })();
    expect(error).toBeInstanceOf(MarshalError);
    expect(error?.offset).toBe(1);
  });
});

describe("references and cycles", () => {
  it("a list, dict or set may refer to itself while unfinished (a cycle), as in CPython", () => {
    const list = decodeMarshal(cat(hex("db"), i32(1), "r", i32(0)), { layout: "3.11" }).value as MarshalList;
    expect(list.items[0]).toBe(list);
    const dict = decodeMarshal(cat(hex("fb"), "N", "r", i32(0), "0"), { layout: "3.11" })
      .value as MarshalDict;
    expect(dict.entries[0]![1]).toBe(dict);
    const tuple = decodeMarshal(cat(hex("a9"), "\x01", "[", i32(1), "r", i32(0)), { layout: "3.11" })
      .value as [MarshalList];
    expect(tuple[0].items[0]).toBe(tuple);
  });

  it("an empty frozenset is registered at once, so a later ref to it is fine", () => {
    const value = decodeMarshal(cat(")\x02", hex("be"), i32(0), "r", i32(0)), { layout: "3.11" }).value as [
      MarshalSet,
      MarshalSet,
    ];
    expect(value[1]).toBe(value[0]);
  });

  it("a code object cannot refer to itself while unfinished", () => {
    const code = readBytes(`${CORPUS}/pyc/3.11/empty.pyc`).slice(16);
    // Replace co_consts (first object after co_code) with a ref to the code object itself (#0).
    const error = decodeError(patchFirstConsts(code));
    expect(error.reason).toBe("bad marshal data (invalid reference)");
  });

  it("a dict whose value is NULL ends there, silently dropping the key (CPython)", () => {
    const dict = decodeMarshal(ascii("{z\x01a0N0"), { layout: "3.11" });
    expect((dict.value as MarshalDict).entries).toEqual([]);
    expect(dict.end).toBe(5);
  });
});

/** The empty module's code object with its co_consts replaced by `r 0` (a ref to itself). */
function patchFirstConsts(code: Uint8Array): Uint8Array {
  // c|REF, 5 × i32, then co_code (s|REF? len, bytes)
  let p = 1 + 20;
  const n = new DataView(code.buffer, code.byteOffset).getInt32(p + 1, true);
  p += 5 + n;
  return cat(code.subarray(0, p), "r", i32(0), code.subarray(p));
}

const SAMPLES = [
  "pyc/3.6/ints.pyc",
  "pyc/3.8/functions.pyc",
  "pyc/3.10/strings.pyc",
  "pyc/3.11/functions.pyc",
  "pyc/3.14/bytes_containers.pyc",
  "pyc/3.14/synthetic_consts.pyc",
];

describe("truncation and corruption", () => {
  for (const sample of SAMPLES) {
    it(`${sample}: every truncation is an EOFError at or before the cut`, () => {
      const bytes = readBytes(`${CORPUS}/${sample}`);
      const { info } = readPyc(bytes);
      for (let cut = 16; cut < bytes.length; cut++) {
        let error: unknown;
        try {
          decodeMarshal(bytes.subarray(0, cut), { layout: info.layout, offset: info.headerSize });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(MarshalError);
        expect((error as MarshalError).pythonType).toBe("EOFError");
        expect((error as MarshalError).offset).toBeLessThanOrEqual(cut);
      }
    });
  }

  it("bit flips anywhere give a value or a MarshalError, nothing else", () => {
    const files = SAMPLES.map((s) => readBytes(`${CORPUS}/${s}`));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }),
        (which, flips) => {
          const bytes = files[which]!.slice();
          const { info } = readPyc(bytes);
          for (const [at, bit] of flips) {
            const i = info.headerSize + (at % (bytes.length - info.headerSize));
            bytes[i] = bytes[i]! ^ (1 << bit);
          }
          try {
            decodeMarshal(bytes, { layout: info.layout, offset: info.headerSize });
          } catch (error) {
            if (!(error instanceof MarshalError)) throw error;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("random bytes give a value or a MarshalError, nothing else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeMarshal(bytes, { layout: "3.11" });
        } catch (error) {
          if (!(error instanceof MarshalError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
