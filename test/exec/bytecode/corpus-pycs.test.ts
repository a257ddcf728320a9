/**
 * The corpus's real pycs (shared/corpus, CPython 3.8–3.14, 3.14 made by CPython 3.14.2) whose module code is
 * in the subset, run by the bytecode runner: the namespace must be what CPython gets by exec'ing the same
 * source (any CPython 3.8+ found here serves as the oracle; the values do not depend on the version).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import { BYTECODE_VERSIONS, runCode } from "../../../src/exec/bytecode/index.js";
import { corpusAvailable, corpusDir, readCorpusPyc } from "./support/corpus.js";
import { fakeModule } from "./support/fake-context.js";
import { findPython } from "./support/python.js";
import type { Strict } from "./support/strict-describe.js";
import { strictNamespace } from "./support/strict-describe.js";

/** Crafted corpus sources whose module code is scenario Python (function bodies never run). */
const inSubset = ["empty", "ints", "strings", "refs", "posonly_walrus", "big_module"];

const oracle =
  [...BYTECODE_VERSIONS]
    .reverse()
    .map(findPython)
    .find((python) => python !== null) ?? null;
const execDump = fileURLToPath(new URL("support/exec_dump.py", import.meta.url));

/** What the import system puts in a module, which exec'ing a source in a dict does not. */
const systemEntries = new Set(["__name__", "__package__", "__loader__", "__spec__", "__file__"]);

describe.skipIf(oracle === null || !corpusAvailable)(
  "corpus pycs against CPython exec'ing their source",
  () => {
    let expected: Strict[][] | undefined;
    const oracleNamespace = (name: string): Strict[] => {
      expected ??= JSON.parse(
        execFileSync(oracle as string, [execDump, ...inSubset.map((n) => `${corpusDir}src/${n}.py`)], {
          maxBuffer: 64 * 1024 * 1024,
        }).toString(),
      ) as Strict[][];
      return expected[inSubset.indexOf(name)] as Strict[];
    };

    for (const version of BYTECODE_VERSIONS) {
      for (const name of inSubset) {
        it(`${version} ${name}`, async () => {
          const { module, ctx } = fakeModule("m");
          await runCode(readCorpusPyc(version, name), module, ctx, version as BytecodeVersion);
          const namespace = new Map([...module.dict].filter(([key]) => !systemEntries.has(key)));
          expect(strictNamespace(namespace)).toEqual(oracleNamespace(name));
        });
      }
    }
  },
);

/** Real module-level try/except from each version's compiler: bisect.py ends in `from _bisect import *`. */
describe.skipIf(!corpusAvailable)("stdlib bisect: try / from _bisect import * / except ImportError", () => {
  for (const version of BYTECODE_VERSIONS) {
    it(`${version} without _bisect`, async () => {
      const { module, ctx } = fakeModule("bisect");
      await runCode(readCorpusPyc(version, "stdlib.bisect"), module, ctx, version);
      expect(module.dict.get("bisect")).toBe(module.dict.get("bisect_right"));
      expect(strictNamespace(new Map([["bisect", module.dict.get("bisect") ?? null]]))).toEqual([
        ["bisect", { function: "bisect.bisect_right", name: "bisect_right" }],
      ]);
    });
    it(`${version} with _bisect`, async () => {
      const { system, module, ctx } = fakeModule("bisect");
      system.add("_bisect", { bisect_right: "C bisect_right", insort_right: "C insort_right", _hidden: 1 });
      await runCode(readCorpusPyc(version, "stdlib.bisect"), module, ctx, version);
      expect(module.dict.get("bisect")).toBe("C bisect_right");
      expect(module.dict.get("insort")).toBe("C insort_right");
      expect(module.dict.has("_hidden")).toBe(false);
    });
  }
});
