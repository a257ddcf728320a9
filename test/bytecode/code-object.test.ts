/** Code objects: one shape for every layout, and 3.11+'s derived varnames/cellvars/freevars/nlocals. */
import { describe, expect, it } from "vitest";
import {
  type CodeObject,
  deriveLocals,
  type MarshalValue,
  makeCodeObject,
  readPyc,
} from "../../src/bytecode/index.js";
import { corpusEntries, readBytes } from "./support/corpus.js";

function codeObjects(value: MarshalValue, out: CodeObject[] = []): CodeObject[] {
  if (value !== null && typeof value === "object" && "type" in value && value.type === "code") {
    out.push(value);
    for (const c of value.consts) codeObjects(c, out);
  }
  return out;
}

describe("code objects", () => {
  it("decoded code objects of every layout have makeCodeObject's keys, in its order (one hidden class)", () => {
    const sample = makeCodeObject({
      ...(readPyc(readBytes(corpusEntries().find((e) => e.name === "empty.pyc")!.path)).code as CodeObject),
    });
    const keys = Object.keys(sample);
    for (const entry of corpusEntries().filter((e) => e.kind === "pyc" && e.name === "functions.pyc")) {
      for (const co of codeObjects(readPyc(readBytes(entry.path)).code))
        expect(Object.keys(co)).toEqual(keys);
    }
  });

  it("3.11+: localsplus kinds give varnames (0x20), cellvars (0x40), freevars (0x80); 0x60 is in both", () => {
    const names = ["a", "b", "c", "d", "e"];
    const kinds = Uint8Array.of(0x26, 0x66, 0x40, 0x80, 0x30);
    expect(deriveLocals(names, kinds)).toEqual({
      varnames: ["a", "b", "e"],
      cellvars: ["b", "c"],
      freevars: ["d"],
    });
  });

  it("pre-3.11 layouts: no localsplus, qualname = name, no exception table", () => {
    for (const version of ["3.6", "3.8", "3.10"]) {
      const entry = corpusEntries().find(
        (e) => e.kind === "pyc" && e.version === version && e.name === "classes.pyc",
      )!;
      for (const co of codeObjects(readPyc(readBytes(entry.path)).code)) {
        expect([co.localsplusnames, co.localspluskinds, co.exceptiontable]).toEqual([null, null, null]);
        expect(co.qualname).toBe(co.name);
        if (version === "3.6") expect(co.posonlyargcount).toBe(0);
      }
    }
  });

  it("3.11+: nlocals = len(varnames), as CPython's co_nlocals", () => {
    const entry = corpusEntries().find(
      (e) => e.kind === "pyc" && e.version === "3.12" && e.name === "functions.pyc",
    )!;
    for (const co of codeObjects(readPyc(readBytes(entry.path)).code)) {
      expect(co.nlocals).toBe(co.varnames.length);
      expect(co.localsplusnames?.length).toBe(co.localspluskinds?.length);
    }
  });
});
