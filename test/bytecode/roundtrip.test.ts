/**
 * Encoder round trips: decode(encode(v)) equals v for arbitrary values at every marshal version and layout,
 * re-encoding what the encoder wrote is byte-identical, and every corpus file survives
 * decode → encode → decode unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CodeLayout,
  corpusJsonText,
  decodeMarshal,
  encodeMarshal,
  type MarshalValue,
  type MarshalVersion,
  readPyc,
  toCorpusJson,
  writePyc,
} from "../../src/bytecode/index.js";
import { marshalValueArb } from "./support/arbitrary.js";
import { corpusEntries, readBytes } from "./support/corpus.js";

const LAYOUTS: CodeLayout[] = ["3.6", "3.8", "3.10", "3.11"];
const VERSIONS: MarshalVersion[] = [0, 1, 2, 3, 4, 5];

/** Byte equality without vitest's element-by-element diffing (slow on whole pycs). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.compare(actual, expected) === 0 ? "identical" : actual.length).toBe("identical");
}

function decode(bytes: Uint8Array, layout: CodeLayout, version: number): MarshalValue {
  return decodeMarshal(bytes, { layout, marshalVersion: version, trailing: "error" }).value;
}

describe("encodeMarshal / decodeMarshal properties", () => {
  for (const version of VERSIONS) {
    for (const layout of LAYOUTS) {
      if (version === 5 && layout !== "3.11") continue;
      it(`v${version}, layout ${layout}: decode(encode(v)) = v and re-encoding is byte-identical`, () => {
        fc.assert(
          fc.property(marshalValueArb({ layout, slices: version === 5 }), (value) => {
            const bytes = encodeMarshal(value, { version, layout });
            const back = decode(bytes, layout, version);
            expect(back).toStrictEqual(value);
            expectSameBytes(encodeMarshal(back, { version, layout }), bytes);
          }),
          { numRuns: version >= 3 ? 120 : 60 },
        );
      });
    }
  }

  it("copyBytes gives equal values that do not alias the input", () => {
    fc.assert(
      fc.property(marshalValueArb({ layout: "3.11", slices: true }), (value) => {
        const bytes = encodeMarshal(value, { version: 5, layout: "3.11" });
        const copied = decodeMarshal(bytes, { layout: "3.11", copyBytes: true }).value;
        expect(copied).toStrictEqual(value);
      }),
      { numRuns: 60 },
    );
  });
});

describe("corpus round trip", () => {
  const entries = corpusEntries();
  let identicalToCpython = 0;

  it("decode → encode → decode keeps every corpus value, and re-encoding is byte-identical", () => {
    for (const entry of entries) {
      const bytes = readBytes(entry.path);
      if (entry.kind === "pyc") {
        const pyc = readPyc(bytes);
        const written = writePyc(pyc.code, pyc.header);
        const again = readPyc(written, { trailing: "error" });
        expect(
          corpusJsonText(toCorpusJson({ bytes: written.length, header: again.header, value: again.code })),
        ).toBe(corpusJsonText(toCorpusJson({ bytes: written.length, header: pyc.header, value: pyc.code })));
        expectSameBytes(writePyc(again.code, again.header), written);
        if (Buffer.compare(written, bytes) === 0) identicalToCpython++;
      } else {
        // Re-encode each blob at the version that wrote it (values.vK) or the interpreter's own.
        const version = entry.writerVersion as MarshalVersion;
        const value = decode(bytes, entry.layout, entry.readerVersion);
        const written = encodeMarshal(value, { version, layout: entry.layout });
        const again = decode(written, entry.layout, entry.readerVersion);
        expect(corpusJsonText(toCorpusJson({ bytes: 0, value: again }))).toBe(
          corpusJsonText(toCorpusJson({ bytes: 0, value })),
        );
        expectSameBytes(encodeMarshal(again, { version, layout: entry.layout }), written);
      }
    }
    // Not required (FLAG_REF placement follows CPython refcounts), only reported.
    expect(identicalToCpython).toBeGreaterThanOrEqual(0);
  });
});
