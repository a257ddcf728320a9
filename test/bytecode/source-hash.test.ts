/** `sourceHash` = `importlib.util.source_hash`: SipHash-2-4 in 3.7–3.10, SipHash-1-3 from 3.11. */

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAGIC_TABLE, magicBytes, readPycHeader, sourceHash } from "../../src/bytecode/index.js";
import { CORPUS, corpusEntries, readBytes } from "./support/corpus.js";
import { pythonFor, runPython } from "./support/python.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("sourceHash", () => {
  it("reproduces the hash in every hash-based corpus pyc (3.7–3.14)", () => {
    const source = readBytes(`${CORPUS}/src/floats_complex.py`);
    const hashed = corpusEntries().filter((e) => e.kind === "pyc" && e.name.includes("-hash."));
    expect(hashed.length).toBe(16);
    for (const entry of hashed) {
      const result = readPycHeader(readBytes(entry.path));
      if (!result.ok || !result.header.hashBased) throw new Error(`${entry.path}: not a hash pyc`);
      expect(hex(sourceHash(source, result.header.magic)), entry.path).toBe(hex(result.header.sourceHash));
      expect(hex(sourceHash(source, magicBytes(result.header.magic)))).toBe(hex(result.header.sourceHash));
    }
  });

  const inputs = [
    ...Array.from({ length: 20 }, (_, n) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)),
    ...fc.sample(fc.uint8Array({ maxLength: 300 }), { numRuns: 40, seed: 552 }),
    readFileSync(`${CORPUS}/src/big_module.py`),
  ];

  for (const { python, magic, sourceHash: variant } of MAGIC_TABLE) {
    const bin = pythonFor(python);
    it.skipIf(bin === undefined || variant === null)(
      `equals CPython ${python}'s importlib.util.source_hash (${variant}) for random inputs`,
      () => {
        const script = `
import sys, importlib.util
for line in sys.stdin.read().split("\\n"):
    if line != "-":
        print(importlib.util.source_hash(bytes.fromhex(line.strip())).hex())`;
        const lines = inputs.map((b) => (b.length === 0 ? "" : hex(b)));
        const got = runPython(bin!, script, `${lines.join("\n")}\n-`)
          .trim()
          .split("\n");
        expect(inputs.map((b) => hex(sourceHash(b, magic)))).toEqual(got);
      },
    );
  }
});
