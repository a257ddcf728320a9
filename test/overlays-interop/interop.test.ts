/**
 * Overlays between importkit and stock CPython (issue #4): `importkit overlay build --python python3` makes a
 * pyc that CPython imports as an ordinary sourceless module (its marshal stops after the module's code
 * object); `python/importkit_overlay.py` then loads each overlay in CPython, `loadOverlay` in importkit, and
 * after every step both namespaces (described strictly, dunders included) and return values must agree.
 * A file in importkit's own code format is refused by CPython as a bad magic number.
 * Skipped only when there is no python3.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOverlayDirectory } from "../../src/bytecode/index.js";
import { overlayBuild } from "../../src/cli/overlay.js";
import { parseOverlayNameArg } from "../../src/cli/overlay-name-arg.js";
import { createImportSystem } from "../../src/composition-root.js";
import { PyBaseException } from "../../src/core/errors.js";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import type { Module } from "../../src/core/module.js";
import { loadOverlay } from "../../src/hooks/overlays/index.js";
import { fromOverlayName } from "../../src/hooks/overlays/runtime.js";
import type { Strict } from "../exec/bytecode/support/strict-describe.js";
import { strictNamespace, strictValue } from "../exec/bytecode/support/strict-describe.js";

const python = process.env.PYTHON || "python3";
const pythonVersion = spawnSync(
  python,
  ["-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
  {
    encoding: "utf8",
  },
);
const havePython = pythonVersion.status === 0;
const pythonProfile = `cpython-${pythonVersion.stdout?.trim()}`;

const stepsScript = fileURLToPath(new URL("cpython_steps.py", import.meta.url));
const helperDir = fileURLToPath(new URL("../../python/", import.meta.url));

/** Kept to what importkit's bytecode runner executes: names, constants, containers, imports. */
const SOURCE = `"""Overlay interop fixture."""
BASE = 1
CHANGED = 'before'
KEPT = ('k', 1.5)

overlay extras
EXTRA = BASE
NAMES = ('a', 'b')

overlay 7
SEVEN = 7
CHANGED = 'after'

overlay ('pair', 2)
import helper
PAIR = helper.VALUE
del KEPT

overlay 'two words'
SPACED = {'x': [1, None, True]}

overlay ('lazy', 'late')
late = {'k': [1, 2.5, None]}
`;

type Step =
  | { readonly load: string; readonly force?: boolean }
  | { readonly getattr: string }
  | { readonly touch: true };

/** Each kind of name; a repeat (2); a lazy attribute; force_reload; an unknown name; a stale file. */
const STEPS: readonly Step[] = [
  { load: "'extras'" },
  { load: "'extras'" },
  { load: "7" },
  { load: "('pair', 2)" },
  { load: "'two words'" },
  { getattr: "late" },
  { load: "('lazy', 'late')" },
  { load: "7", force: true },
  { load: "'nope'" },
  { touch: true },
  { load: "'extras'" },
  { load: "'extras'", force: true },
];

interface StepOutcome {
  readonly result: Strict;
  readonly namespace: Strict;
}

/**
 * `__overlays_available__` is set by importkit's loader before the module's code runs, by the CPython helper
 * when it first sees the module (`install`, right after the import): same value, another place in the
 * namespace's order. It is compared on its own; everything else in order.
 */
function splitAvailable(outcome: StepOutcome) {
  const entries = outcome.namespace as [string, Strict][];
  return {
    result: outcome.result,
    namespace: entries.filter(([key]) => key !== "__overlays_available__"),
    available: entries.find(([key]) => key === "__overlays_available__")?.[1] ?? null,
  };
}

let work: string;
let out: string;
let pycPath: string;

function runCpython(steps: readonly Step[]): StepOutcome[] {
  const run = spawnSync(python, ["-B", "-I", "-S", stepsScript, out, "m", helperDir, JSON.stringify(steps)], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`cpython_steps.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as StepOutcome[];
}

/**
 * `settle`: after a lazy attribute lookup, let pending jobs run before describing the namespace. The value
 * is there when the lookup returns, but importkit's runtime records the load in `__overlays__` one job
 * later (see the `it.fails` below).
 */
async function runImportkit(steps: readonly Step[], settle = true): Promise<StepOutcome[]> {
  const system = createImportSystem({ fs: new NodeFileSystem(), profile: pythonProfile });
  system.sys.dontWriteBytecode = true;
  system.path.splice(0, system.path.length, out);
  const module: Module = await system.importModule("m");
  const outcomes: StepOutcome[] = [{ result: null, namespace: strictNamespace(module.dict) }];
  for (const step of steps) {
    let result: Strict;
    try {
      if ("touch" in step) {
        utimesSync(pycPath, 1_000_000, 1_000_000);
        result = null;
      } else if ("load" in step) {
        const name = fromOverlayName(parseOverlayNameArg(step.load));
        result = { int: String(await loadOverlay(module, name, { forceReload: step.force ?? false })) };
      } else {
        result = strictValue(module.getAttr(step.getattr));
        if (settle) await new Promise((done) => setImmediate(done));
      }
    } catch (error) {
      if (!(error instanceof PyBaseException)) throw error;
      result = { error: error.pyType, message: error.message };
    }
    outcomes.push({ result, namespace: strictNamespace(module.dict) });
  }
  return outcomes;
}

describe.skipIf(!havePython)(`overlays: importkit and CPython (${python})`, () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "importkit-overlays-"));
    mkdirSync(join(work, "src"));
    out = join(work, "out");
    mkdirSync(out);
    writeFileSync(join(work, "src", "m.py"), SOURCE);
    writeFileSync(join(out, "helper.py"), "VALUE = 42\n");
    pycPath = join(out, "m.pyc");
    overlayBuild(join(work, "src", "m.py"), { output: pycPath, python });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("builds a pyc with CPython's magic, the module's code and a directory of every overlay", () => {
    const bytes = readFileSync(pycPath);
    const magic = spawnSync(
      python,
      ["-I", "-S", "-c", "import importlib.util as u; print(u.MAGIC_NUMBER.hex())"],
      {
        encoding: "utf8",
      },
    ).stdout.trim();
    expect(bytes.subarray(0, 4).toString("hex")).toBe(magic);
    const dir = readOverlayDirectory((p, n) => bytes.subarray(p, p + n), bytes.length, pycPath);
    expect(dir.entries.map((e) => e.name)).toEqual(["extras", 7, ["pair", 2], "two words", ["lazy", "late"]]);
  });

  it("stock CPython's marshal.loads stops after the module's code object, and `import` takes the file", () => {
    const check = spawnSync(
      python,
      [
        "-B",
        "-I",
        "-S",
        "-c",
        [
          "import marshal, sys",
          `data = open(${JSON.stringify(pycPath)}, 'rb').read()`,
          "code = marshal.loads(data[16:])",
          "print(type(code).__name__, len(marshal.dumps(code)) < len(data) - 16)",
          `sys.path.insert(0, ${JSON.stringify(out)})`,
          "import m",
          "print(m.__spec__.loader.__class__.__name__, m.BASE, m.CHANGED, hasattr(m, 'EXTRA'))",
        ].join("\n"),
      ],
      { encoding: "utf8" },
    );
    expect(check.stderr).toBe("");
    expect(check.stdout.split("\n")).toEqual(["code True", "SourcelessFileLoader 1 before False", ""]);
  });

  it("agrees with CPython after the import and after every overlay step, return values included", async () => {
    // Fresh mtimes for the file (the last steps make it stale on purpose).
    utimesSync(pycPath, 1_700_000_000, 1_700_000_000);
    const cpython = runCpython(STEPS);
    utimesSync(pycPath, 1_700_000_000, 1_700_000_000);
    const importkit = await runImportkit(STEPS);
    expect(importkit).toHaveLength(STEPS.length + 1);
    expect(cpython).toHaveLength(STEPS.length + 1);
    for (let i = 0; i < cpython.length; i++) {
      const step = i === 0 ? "import" : JSON.stringify(STEPS[i - 1]);
      expect(splitAvailable(importkit[i]!), `after ${step}`).toEqual(splitAvailable(cpython[i]!));
    }
    // The steps did what they say (so that agreement is about something).
    const results = cpython.map((o) => o.result);
    expect(results.slice(1, 9)).toEqual([
      { int: "1" },
      { int: "2" },
      { int: "1" },
      { int: "1" },
      { int: "1" },
      { dict: [["k", { list: [{ int: "1" }, { float: "2.5" }, null] }]] },
      { int: "2" },
      { int: "1" },
    ]);
    expect(results[9]).toEqual({ error: "OverlayError", message: "module 'm' has no overlay 'nope'" });
    // Touched: a loaded overlay is still 2 (nothing read); running code from the changed file is refused.
    expect(results[11]).toEqual({ int: "2" });
    expect(results[12]).toEqual({
      error: "OverlayError",
      message: `overlay file ${pycPath} changed since module 'm' was loaded`,
    });
    expect(splitAvailable(cpython[0]!).available).toEqual({
      tuple: [
        "extras",
        { int: "7" },
        { tuple: ["pair", { int: "2" }] },
        "two words",
        { tuple: ["lazy", "late"] },
      ],
    });
  });

  // Known divergence, reported to the runtime: CPython's `m.late` returns with `__overlays__` updated;
  // importkit's lookup returns the value but adds to `__overlays__` in a later job. Remove `.fails` once fixed.
  it.fails("a lazy attribute's load is in __overlays__ as soon as the lookup returns", async () => {
    const steps: Step[] = [{ getattr: "late" }];
    utimesSync(pycPath, 1_700_000_000, 1_700_000_000);
    const cpython = runCpython(steps);
    const importkit = await runImportkit(steps, false);
    expect(splitAvailable(importkit[1]!)).toEqual(splitAvailable(cpython[1]!));
  });

  it("reads a directory larger than the 4 KiB tail, in both", async () => {
    const bigDir = join(work, "big");
    mkdirSync(bigDir);
    const count = 400;
    const source = [
      "FIRST = 0",
      ...Array.from({ length: count }, (_, i) => `overlay part_${i}\nV_${i} = ${i}`),
    ];
    writeFileSync(join(work, "src", "big.py"), `${source.join("\n")}\n`);
    const built = overlayBuild(join(work, "src", "big.py"), { output: join(bigDir, "big.pyc"), python });
    expect(built.overlays).toHaveLength(count);
    const script = [
      "import sys",
      `sys.path[:0] = [${JSON.stringify(bigDir)}, ${JSON.stringify(helperDir)}]`,
      "import big, importkit_overlay as io",
      `print(io.load_overlay(big, 'part_0'), io.load_overlay(big, 'part_${count - 1}'), big.V_0, big.V_${count - 1})`,
      "print(len(big.__overlays_available__), io.overlay_directory(big)[-1][0])",
    ].join("\n");
    const run = spawnSync(python, ["-B", "-I", "-S", "-c", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`1 1 0 ${count - 1}\n${count} part_${count - 1}\n`);
    const system = createImportSystem({ fs: new NodeFileSystem(), profile: pythonProfile });
    system.sys.dontWriteBytecode = true;
    system.path.splice(0, system.path.length, bigDir);
    const big = await system.importModule("big");
    expect(await loadOverlay(big, "part_0")).toBe(1);
    expect(await loadOverlay(big, `part_${count - 1}`)).toBe(1);
    expect(big.getAttr(`V_${count - 1}`)).toBe(BigInt(count - 1));
  });

  it("CPython refuses an importkit-format overlay pyc: bad magic number", () => {
    const ikDir = join(work, "ik");
    mkdirSync(ikDir);
    overlayBuild(join(work, "src", "m.py"), { output: join(ikDir, "m.pyc") });
    const run = spawnSync(
      python,
      ["-B", "-I", "-S", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(ikDir)}); import m`],
      {
        encoding: "utf8",
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/ImportError: bad magic number in 'm': b'IK\\r\\n'/);
  });
});
