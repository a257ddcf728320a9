/**
 * Every corpus file decodes to exactly its CPython dump (what `refdecode.py --check` proves for the Python
 * reference decoder): the compact JSON text, including `meta` re-serialized, must be identical.
 */
import { describe, expect, it } from "vitest";
import {
  corpusJsonText,
  decodeMarshal,
  type JsonValue,
  readPyc,
  toCorpusJson,
} from "../../src/bytecode/index.js";
import { corpusEntries, dumpText, readBytes, VERSIONS } from "./support/corpus.js";

const entries = corpusEntries();

function decodedText(entry: (typeof entries)[number], meta: JsonValue): string {
  const bytes = readBytes(entry.path);
  if (entry.kind === "pyc") {
    const pyc = readPyc(bytes, { trailing: "error", filename: entry.name });
    return corpusJsonText({ meta, ...toCorpusJson({ bytes, header: pyc.header, value: pyc.code }) });
  }
  const { value } = decodeMarshal(bytes, {
    layout: entry.layout,
    marshalVersion: entry.readerVersion,
    trailing: "error",
    filename: entry.name,
  });
  return corpusJsonText({ meta, ...toCorpusJson({ bytes, value }) });
}

describe("corpus: decode every file exactly as CPython's marshal did", () => {
  it("has the whole shared corpus (325 files)", () => {
    expect(entries.length).toBe(325);
  });

  for (const version of VERSIONS) {
    it(`CPython ${version}: every pyc and marshal blob matches its dump`, () => {
      const mismatches: string[] = [];
      let count = 0;
      for (const entry of entries.filter((e) => e.version === version)) {
        const want = dumpText(entry.path);
        const meta = (JSON.parse(want) as { meta: JsonValue }).meta;
        const got = decodedText(entry, meta);
        count++;
        if (got !== want) {
          let i = 0;
          while (got[i] === want[i]) i++;
          mismatches.push(`${entry.kind}/${version}/${entry.name} @${i}: ${got.slice(i - 40, i + 40)}`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(count).toBeGreaterThan(30);
    });
  }
});
