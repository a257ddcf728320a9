/**
 * The instruction decoder and the opcode tables (data/opcodes) against real bytecode:
 * - for every CPython 3.8–3.13 found here, its own `dis` of the corpus pycs it made (offsets, names, folded
 *   EXTENDED_ARG arguments, jump targets, hidden caches);
 * - for every version including 3.14 (whose table is transcribed, see data/opcodes/generate_314.py), the shape
 *   of every code object of the corpus: known opcodes only, zero caches, jumps and exception-table entries on
 *   instruction boundaries, name and const arguments in range.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CodeObject } from "../../../src/bytecode/index.js";
import { parseExceptionTable } from "../../../src/exec/bytecode/exception-table.js";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import { BYTECODE_VERSIONS } from "../../../src/exec/bytecode/index.js";
import { decodeInstructions } from "../../../src/exec/bytecode/instructions.js";
import { opcodeTable } from "../../../src/exec/bytecode/opcode-table.js";
import { minorOf } from "../../../src/exec/bytecode/versions.js";
import {
  allCodeObjects,
  corpusAvailable,
  corpusPycNames,
  corpusPycPath,
  readCorpusPyc,
} from "./support/corpus.js";
import { findPython } from "./support/python.js";

const disDump = fileURLToPath(new URL("support/dis_dump.py", import.meta.url));

/** 3.12+ `dis` reports FOR_ITER / SEND targets past the END_FOR / END_SEND they jump to; the runner has neither. */
const disAdjustsTarget = new Set(["FOR_ITER", "SEND", "END_ASYNC_FOR"]);

type DisInstruction = [number, string, number | null, number | null];

describe.skipIf(!corpusAvailable)("instructions against each CPython's dis", () => {
  for (const version of BYTECODE_VERSIONS) {
    const python = version === "3.14" ? null : findPython(version);
    it.skipIf(python === null)(`${version}: every corpus pyc`, () => {
      const names = corpusPycNames(version);
      const dumped = JSON.parse(
        execFileSync(python as string, [disDump, ...names.map((n) => corpusPycPath(version, n))], {
          maxBuffer: 256 * 1024 * 1024,
        }).toString(),
      ) as [string, DisInstruction[]][][];
      const table = opcodeTable(version);
      names.forEach((name, i) => {
        const codes = allCodeObjects(readCorpusPyc(version, name));
        const expected = dumped[i] as [string, DisInstruction[]][];
        expect(codes.length, name).toBe(expected.length);
        codes.forEach((code, j) => {
          const [qualname, instructions] = expected[j] as [string, DisInstruction[]];
          const actual = decodeInstructions(code.code, table).instructions.map((instr): DisInstruction => {
            const hasArg = instructions.find(([offset]) => offset === instr.offset)?.[2] !== null;
            const target = instr.target === null || disAdjustsTarget.has(instr.name) ? null : instr.target;
            return [instr.offset, instr.name, hasArg ? instr.arg : null, target];
          });
          const comparable = instructions.map(
            ([offset, opname, arg, target]): DisInstruction => [
              offset,
              opname,
              arg,
              disAdjustsTarget.has(opname) ? null : target,
            ],
          );
          expect(actual, `${name} ${qualname}`).toEqual(comparable);
        });
      });
    });
  }
});

/** Name-indexed instructions the runner reads, with how many low bits of the argument are flags. */
function nameIndexShift(name: string, minor: number): number | null {
  if (["IMPORT_NAME", "IMPORT_FROM", "LOAD_NAME", "STORE_NAME", "DELETE_NAME", "LOAD_METHOD"].includes(name))
    return 0;
  if (name === "LOAD_ATTR") return minor >= 12 ? 1 : 0;
  if (name === "LOAD_GLOBAL") return minor >= 11 ? 1 : 0;
  return null;
}

function checkShape(code: CodeObject, version: BytecodeVersion): string[] {
  const problems: string[] = [];
  const table = opcodeTable(version);
  const minor = minorOf(version);
  const decoded = decodeInstructions(code.code, table);
  const where = (offset: number): string => `${code.qualname}@${offset}`;
  let cursor = 0;
  for (const instr of decoded.instructions) {
    if (instr.name.startsWith("<") || instr.name === "CACHE")
      problems.push(`${where(instr.offset)}: ${instr.name}`);
    for (let at = instr.offset + 2; at < instr.next; at++)
      if (code.code[at] !== 0) problems.push(`${where(instr.offset)}: cache byte ${at} not zero`);
    if (instr.start !== cursor)
      problems.push(`${where(instr.offset)}: starts at ${instr.start}, expected ${cursor}`);
    cursor = instr.next;
    if (instr.target !== null && decoded.indexAt(instr.target) === undefined)
      problems.push(`${where(instr.offset)}: ${instr.name} to ${instr.target}`);
    if (["LOAD_CONST", "RETURN_CONST", "KW_NAMES"].includes(instr.name) && instr.arg >= code.consts.length)
      problems.push(`${where(instr.offset)}: const ${instr.arg}`);
    const shift = nameIndexShift(instr.name, minor);
    if (shift !== null && instr.arg >> shift >= code.names.length)
      problems.push(`${where(instr.offset)}: ${instr.name} name ${instr.arg}`);
  }
  if (cursor !== code.code.length) problems.push(`${code.qualname}: decoding ended at ${cursor}`);
  for (const entry of code.exceptiontable === null ? [] : parseExceptionTable(code.exceptiontable)) {
    const boundary = (offset: number): boolean =>
      offset === code.code.length || decoded.indexAt(offset) !== undefined;
    if (!boundary(entry.start) || !boundary(entry.end) || decoded.indexAt(entry.target) === undefined)
      problems.push(`${code.qualname}: exception entry ${JSON.stringify(entry)}`);
  }
  return problems;
}

describe.skipIf(!corpusAvailable)("opcode tables against every corpus code object", () => {
  for (const version of BYTECODE_VERSIONS) {
    it(`${version}`, () => {
      const problems: string[] = [];
      let count = 0;
      for (const name of corpusPycNames(version)) {
        for (const code of allCodeObjects(readCorpusPyc(version, name))) {
          count++;
          problems.push(...checkShape(code, version).map((problem) => `${name}: ${problem}`));
        }
      }
      expect(problems).toEqual([]);
      expect(count).toBeGreaterThan(100);
    });
  }
});
