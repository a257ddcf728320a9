/**
 * What one fuzz input goes through, and how each outcome is judged.
 *
 * * **decoder leg**: a `.pyc` through `readPyc`; a raw blob through `decodeMarshal` with its version's code
 *   layout (and, one time in four, another layout, which is what a wrong magic would pick).
 * * **loader leg**: an ImportSystem over a MemFileSystem holding `lib/mod.py`, its cache
 *   `lib/__pycache__/mod.<tag>.pyc` = the input, and a lone `lib/lone.pyc` = the input; `import mod` and
 *   `import lone`. `mod.py` gets the seed file's header mtime and source size, so a mutated body passes the
 *   staleness check and reaches the decoder (a raw blob gets a valid header of the profile first). The
 *   profile is the seed's version's (3.6/3.7 and unknown versions: cpython-3.11).
 * * **zip legs** (zip-leg.ts, for zip archives): judged with {@link classify} and {@link finish} from here.
 * * **snapshot legs** (snapshot-leg.ts, for snapshot files): the same, SnapshotErrors told apart by reason.
 *
 * Allowed outcomes: success; `MarshalError`; `PycFormatError`; a Python exception (`PyBaseException`);
 * `NotSupportedError` whose message matches {@link DOCUMENTED_NOT_SUPPORTED}. Anything else is a finding,
 * as is an error whose offset lies outside the input, heap growth past {@link heapAllowance}, or an input
 * that takes longer than a second (the watchdog in run.ts catches the ones that never finish).
 */
import { getHeapStatistics } from "node:v8";
import type { CodeLayout } from "../src/bytecode/code-object.js";
import type { MarshalValue, MarshalVersion } from "../src/bytecode/index.js";
import {
  corpusJsonText,
  decodeMarshal,
  encodeMarshal,
  MarshalError,
  magicForPython,
  PycFormatError,
  readPyc,
  toCorpusJson,
} from "../src/bytecode/index.js";
import { dumpSize } from "../src/cli/pyc-expand.js";
import { valueTree } from "../src/cli/pyc-tree.js";
import { createContainer } from "../src/composition-root.js";
import { NotSupportedError, PyBaseException } from "../src/core/errors.js";
import { MemFileSystem } from "../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../src/core/import-system.js";
import type { VersionProfile } from "../src/core/profile.js";
import { loadProfile, profileNames } from "../src/core/profile.js";
import type { BytecodeRunner } from "../src/hooks/loader-environment.js";
import * as T from "../src/tokens.js";
import type { SeedFile } from "./corpus.js";
import type { FuzzInput } from "./mutate.js";

/**
 * NotSupportedErrors that are documented limits, not bugs. Each entry names where it is documented.
 * `pending` ones mean the loader leg does not reach the bytecode layer yet (run.ts reports that).
 */
export const DOCUMENTED_NOT_SUPPORTED: readonly { re: RegExp; where: string; pending?: boolean }[] = [
  {
    re: /^loading \.pyc files is not supported yet \(issue #3\)/,
    where: "src/hooks/sourceless-file-hook.ts (before the pyc loaders)",
    pending: true,
  },
  {
    re: /^reading bytecode cache files is not supported yet \(issue #3\)/,
    where: "src/hooks/source-file-hook.ts (before the pyc loaders)",
    pending: true,
  },
  {
    // UnsupportedOpcodeError: the bytecode runner meets something outside the scenario subset.
    re: /^opcode [A-Z_0-9<>]+ at offset -?\d+ in .* is not supported$/,
    where: "src/exec/bytecode/refusal.ts (UnsupportedOpcodeError, 'the one public message')",
  },
  {
    re: /^ran past the end of the code in /,
    where: "src/exec/bytecode/runner.ts (loop): corrupt wordcode that does not end in a return",
  },
  {
    re: /^source encoding '.*' is not supported \((?:only UTF-8|UTF-8, Latin-1 and ASCII are)\)/,
    where: "src/hooks/source-text.ts (decodeSource)",
  },
  {
    // A source member of a mutated archive (zip leg) that uses Python outside the scenario subset.
    re: /^not supported by the scenario executor: /,
    where:
      "src/exec/not-supported.ts (notSupported, 'the one wording'); the subset is in docs/architecture.md",
  },
];

/**
 * What an input is doing right now, for the watchdog: a hang's report names the leg, and for the loader legs
 * whether the module's own bytecode was running (a mutated jump can make a program that loops forever, in
 * CPython too) or the loading machinery around it.
 */
export const PHASES = [
  "making the input",
  "decoder",
  "roundtrip",
  "tree",
  "loader:mod (finding, reading, decoding)",
  "loader:mod (running the module's bytecode)",
  "loader:lone (finding, reading, decoding)",
  "loader:lone (running the module's bytecode)",
  "zip:import (reading the archive, finding, loading)",
  "zip:import (running the module's bytecode)",
  "zip:loader (the zipimporter's methods)",
  "zip:reread (the archive replaced and read again)",
  "snapshot:open (decodeSnapshot of the input)",
  "snapshot:import (building the system, finding, loading)",
  "snapshot:import (running the module's code)",
  "snapshot:loader (the snapshot importer's methods)",
] as const;

/**
 * The streams of inputs a run interleaves (pyc/marshal inputs, zip archives, snapshots): a worker stores the
 * stream of its current input as an index into this list, for the watchdog.
 */
export const INPUT_STREAMS = ["pyc", "zip", "snapshot"] as const;

let phaseSink: (phase: number) => void = () => {};

/** Where legs report their phase (the worker stores it in the shared progress array). */
export function onPhase(sink: (phase: number) => void): void {
  phaseSink = sink;
}

/** Report that the current input entered `phase` (an index into {@link PHASES}). */
export function markPhase(phase: number): void {
  phaseSink(phase);
}

let tickSink: () => void = () => {};

/** Where the zip and snapshot legs report each call they finish (the worker counts it as progress). */
export function onTick(sink: () => void): void {
  tickSink = sink;
}

/**
 * One call of a zip or snapshot leg finished: the watchdog's clock starts again (a hang is one call of over a
 * second).
 */
export function tick(): void {
  tickSink();
}

export type Leg =
  | "decoder"
  | "roundtrip"
  | "tree"
  | "loader:mod"
  | "loader:lone"
  | "zip:directory"
  | "zip:hook"
  | "zip:import"
  | "zip:loader"
  | "zip:reread"
  | "zip:overlay"
  | "snapshot:open"
  | "snapshot:system"
  | "snapshot:import"
  | "snapshot:loader"
  | "snapshot:oracle"
  | "snapshot:tier";

export interface Outcome {
  readonly leg: Leg;
  /** "ok", "MarshalError:EOFError", "PycFormatError:bad-magic", "py:ImportError", "NotSupported(pending)" … */
  readonly kind: string;
  /** Set when the outcome is a finding: what went wrong, with the stack. */
  readonly finding?: string;
  readonly ms: number;
  readonly heapGrowth: number;
}

const OTHER_LAYOUTS: readonly CodeLayout[] = ["3.6", "3.8", "3.10", "3.11"];

export function heapNow(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/**
 * Heap growth during one leg beyond which it is a finding: a small multiple of the input, plus slack, plus
 * `bounded` (what a leg may spend by design: the zip legs' inflate limit for the input).
 */
export function heapAllowance(leg: Leg, inputLength: number, bounded = 0): number {
  const slack = leg === "decoder" || leg === "roundtrip" || leg === "tree" ? 16 : 48;
  return slack * 1024 * 1024 + 64 * inputLength + bounded;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}

/** The kind of an allowed outcome, or null when `error` is a finding. */
export function classify(error: unknown, inputLength: number): { kind: string; finding?: string } {
  if (error instanceof MarshalError || error instanceof PycFormatError) {
    const detail = error instanceof MarshalError ? error.pythonType : error.problem;
    const offset = error.offset;
    if (!Number.isInteger(offset) || offset < 0 || offset > inputLength) {
      return {
        kind: `${error.name}:bad-offset`,
        finding: `${error.name} with offset ${offset} outside the input (0–${inputLength}): ${describe(error)}`,
      };
    }
    // decodeMarshal turns anything its reader throws into a MarshalError (reason `String(error)`, or
    // "recursion limit exceeded" for any RangeError): a JS error must not hide behind that.
    const masked = maskedJsError(error);
    if (masked) return { kind: `${error.name}:masked-js-error`, finding: `${masked}: ${describe(error)}` };
    return { kind: `${error.name}:${detail}` };
  }
  if (error instanceof PyBaseException) {
    return { kind: `py:${error.pyType}` };
  }
  if (error instanceof NotSupportedError) {
    const documented = DOCUMENTED_NOT_SUPPORTED.find((d) => d.re.test(error.message));
    if (documented) return { kind: documented.pending ? "NotSupported(pending)" : "NotSupported" };
    return {
      kind: "NotSupported(undocumented)",
      finding: `undocumented NotSupportedError: ${describe(error)}`,
    };
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return { kind: `crash:${name}`, finding: describe(error) };
}

/** A MarshalError made from a JS error by decodeMarshal's catch-all, rather than raised by the reader. */
export function maskedJsError(error: MarshalError | PycFormatError): string | null {
  if (error.cause !== undefined && !(error.cause instanceof MarshalError))
    return "a MarshalError caused by a JS error";
  if (/^[A-Z][A-Za-z]*Error\b|^\[object /.test(error.reason)) return "a JS error's text as the reason";
  if (error instanceof MarshalError && error.reason === "recursion limit exceeded") {
    // The reader's own depth check throws from readObject; the catch-all throws from decodeMarshal itself.
    const top = (error.stack ?? "").split("\n").find((l) => l.trimStart().startsWith("at "));
    if (top && /\bdecodeMarshal\b/.test(top)) return "a JS RangeError reported as 'recursion limit exceeded'";
  }
  return null;
}

function timed(leg: Leg, inputLength: number, run: () => void): Outcome {
  const heap0 = heapNow();
  const t0 = performance.now();
  let kind = "ok";
  let finding: string | undefined;
  try {
    run();
  } catch (error) {
    ({ kind, finding } = classify(error, inputLength));
  }
  return finish(leg, inputLength, kind, finding, t0, heap0);
}

export function finish(
  leg: Leg,
  inputLength: number,
  kind: string,
  finding: string | undefined,
  t0: number,
  heap0: number,
  bounded = 0,
): Outcome {
  const ms = performance.now() - t0;
  const heapGrowth = heapNow() - heap0;
  if (!finding && ms > 1000) finding = `slow: ${ms.toFixed(0)} ms for one input (limit 1000 ms)`;
  if (!finding && heapGrowth > heapAllowance(leg, inputLength, bounded)) {
    finding = `heap grew by ${(heapGrowth / 1048576).toFixed(1)} MiB for a ${inputLength}-byte input`;
  }
  return finding ? { leg, kind, finding, ms, heapGrowth } : { leg, kind, ms, heapGrowth };
}

export function decoderLeg(input: FuzzInput, layoutPick: number): Outcome[] {
  const { bytes, seed } = input;
  const filename = `fuzz-${input.index}`;
  let decoded: { value: MarshalValue; layout: CodeLayout; version: MarshalVersion } | null = null;
  let outcome: Outcome;
  phaseSink(1);
  if (seed.kind === "pyc") {
    outcome = timed("decoder", bytes.length, () => {
      const pyc = readPyc(bytes, { filename });
      decoded = { value: pyc.code, layout: pyc.info.layout, version: pyc.info.marshalVersion };
    });
  } else {
    const own = magicForPython(seed.version);
    const layout =
      layoutPick % 4 === 0
        ? OTHER_LAYOUTS[(layoutPick >> 2) % OTHER_LAYOUTS.length]!
        : (own?.layout ?? "3.11");
    const marshalVersion = own?.marshalVersion ?? 4;
    outcome = timed("decoder", bytes.length, () => {
      const { value } = decodeMarshal(bytes, { layout, marshalVersion, filename });
      decoded = { value, layout, version: marshalVersion };
    });
  }
  const got = decoded as { value: MarshalValue; layout: CodeLayout; version: MarshalVersion } | null;
  if (!got) return [outcome];
  phaseSink(2);
  const roundTrip = roundTripLeg(got.value, got.layout, got.version, bytes.length);
  phaseSink(3);
  const minor = Number((magicForPython(seed.version)?.python ?? "3.11").split(".")[1]);
  return [outcome, roundTrip, treeLeg(got.value, minor, bytes.length)];
}

/** `importkit pyc dump`'s readable tree (and its corpus-JSON size check) of whatever decoded must not fail. */
function treeLeg(value: MarshalValue, minor: number, inputLength: number): Outcome {
  const heap0 = heapNow();
  const t0 = performance.now();
  try {
    valueTree(value, minor);
    dumpSize(value);
  } catch (error) {
    const name = error instanceof Error ? error.constructor.name : typeof error;
    return finish(
      "tree",
      inputLength,
      `crash:${name}`,
      `the readable tree failed: ${describe(error)}`,
      t0,
      heap0,
    );
  }
  return finish("tree", inputLength, "ok", undefined, t0, heap0);
}

/** Values up to this many (shared references expanded) are compared as corpus JSON after the round trip. */
const ROUND_TRIP_COMPARE_LIMIT = 200_000;

/**
 * What decoded must encode, and decode again to the same value: `encodeMarshal` at the reader's marshal
 * version and layout (a MarshalError is allowed: the writer may count nesting differently), then
 * `decodeMarshal` of its output must succeed, consume it exactly, and give the same corpus JSON (when the
 * value is not a reference cycle and expands to at most {@link ROUND_TRIP_COMPARE_LIMIT} values).
 */
function roundTripLeg(
  value: MarshalValue,
  layout: CodeLayout,
  version: MarshalVersion,
  inputLength: number,
): Outcome {
  const heap0 = heapNow();
  const t0 = performance.now();
  let encoded: Uint8Array;
  try {
    encoded = encodeMarshal(value, { version, layout });
  } catch (error) {
    const { kind, finding } = classify(error, Number.MAX_SAFE_INTEGER);
    return finish("roundtrip", inputLength, `encode-${kind}`, finding, t0, heap0);
  }
  let again: { value: MarshalValue; end: number };
  try {
    again = decodeMarshal(encoded, { layout, marshalVersion: version });
  } catch (error) {
    const { kind } = classify(error, encoded.length);
    if (error instanceof MarshalError && error.reason === "recursion limit exceeded") {
      return finish("roundtrip", inputLength, `redecode-${kind}`, undefined, t0, heap0);
    }
    return finish(
      "roundtrip",
      inputLength,
      `redecode-${kind}`,
      `encodeMarshal wrote bytes decodeMarshal rejects: ${describe(error)}\nencoded: ${hexHead(encoded)}`,
      t0,
      heap0,
    );
  }
  if (again.end !== encoded.length) {
    return finish(
      "roundtrip",
      inputLength,
      "short",
      `re-decoding stopped at ${again.end} of ${encoded.length}`,
      t0,
      heap0,
    );
  }
  const size = dumpSize(value, ROUND_TRIP_COMPARE_LIMIT);
  if (!size.ok) return finish("roundtrip", inputLength, "ok-not-compared", undefined, t0, heap0);
  let kind = "ok";
  let finding: string | undefined;
  try {
    const before = corpusJsonText(toCorpusJson({ bytes: 0, value }));
    const after = corpusJsonText(toCorpusJson({ bytes: 0, value: again.value }));
    if (before !== after) {
      kind = "changed";
      finding = `the value changed in an encode/decode round trip:\nbefore ${before.slice(0, 600)}\nafter  ${after.slice(0, 600)}`;
    }
  } catch (error) {
    ({ kind, finding } = classify(error, inputLength));
    kind = `dump-${kind}`;
    finding ??= `toCorpusJson failed: ${describe(error)}`;
  }
  return finish("roundtrip", inputLength, kind, finding, t0, heap0);
}

function hexHead(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 256)).toString("hex");
  return bytes.length > 256 ? `${hex}… (${bytes.length} bytes)` : hex;
}

// ---- loader leg ------------------------------------------------------------------------------------

const profiles = new Map<string, VersionProfile>();

export function profileFor(version: string): VersionProfile {
  const names = profileNames();
  const name = names.includes(`cpython-${version}`)
    ? `cpython-${version}`
    : (names.find((n) => n.startsWith(`cpython-${version}-`)) ?? "cpython-3.11");
  let p = profiles.get(name);
  if (!p) profiles.set(name, (p = loadProfile(name)));
  return p;
}

function u32(b: Uint8Array, at: number): number {
  return at + 4 <= b.length
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : 0;
}

/** The source the seed's header describes: its mtime and size (a comment of that many bytes). */
function sourceFor(seed: SeedFile): { text: string; mtime: number } {
  if (seed.kind === "raw") return { text: "# raw\n", mtime: 1700000000 };
  const pre552 = seed.version === "3.6";
  const mtime = u32(seed.bytes, pre552 ? 4 : 8);
  const size = u32(seed.bytes, pre552 ? 8 : 12);
  const hashBased = !pre552 && (u32(seed.bytes, 4) & 1) === 1;
  const n = hashBased ? 6 : Math.min(size, 1 << 20);
  const text = n === 0 ? "" : n === 1 ? "\n" : `#${"x".repeat(n - 2)}\n`;
  return { text, mtime: hashBased ? 1700000000 : mtime };
}

/** A 16-byte timestamp header of `profile`'s magic, for a raw blob, matching the "# raw\n" source. */
function rawHeader(profile: VersionProfile): Uint8Array {
  const h = new Uint8Array(16);
  h.set(profile.magicNumber, 0);
  new DataView(h.buffer).setUint32(8, 1700000000, true);
  new DataView(h.buffer).setUint32(12, 6, true);
  return h;
}

export async function loaderLeg(input: FuzzInput): Promise<Outcome[]> {
  const { seed } = input;
  const profile = profileFor(magicForPython(seed.version)?.python ?? "3.11");
  let pyc = input.bytes;
  if (seed.kind === "raw") {
    const h = rawHeader(profile);
    pyc = new Uint8Array(h.length + input.bytes.length);
    pyc.set(h, 0);
    pyc.set(input.bytes, h.length);
  }
  const src = sourceFor(seed);
  const fs = MemFileSystem.fromFiles({
    "/lib/mod.py": src.text,
    [`/lib/__pycache__/mod.${profile.cacheTag}.pyc`]: pyc,
    "/lib/lone.pyc": pyc,
  });
  fs.utimes("/lib/mod.py", src.mtime);
  let running = 5;
  const container = createContainer({ fs, profile });
  const runner = container.resolve<BytecodeRunner>(T.BYTECODE_RUNNER);
  const marking: BytecodeRunner = {
    async run(...args) {
      phaseSink(running);
      try {
        return await runner.run(...args);
      } finally {
        phaseSink(running - 1);
      }
    },
  };
  container.register(T.BYTECODE_RUNNER, { useValue: marking });
  const system = container.resolve<ImportSystem>(T.IMPORT_SYSTEM);
  system.path = ["/lib"];
  const outcomes: Outcome[] = [];
  for (const name of ["mod", "lone"] as const) {
    const leg: Leg = name === "mod" ? "loader:mod" : "loader:lone";
    running = name === "mod" ? 5 : 7;
    phaseSink(running - 1);
    const heap0 = heapNow();
    const t0 = performance.now();
    let kind = "ok";
    let finding: string | undefined;
    try {
      await system.importModule(name);
    } catch (error) {
      ({ kind, finding } = classify(error, pyc.length));
    }
    outcomes.push(finish(leg, pyc.length, kind, finding, t0, heap0));
  }
  return outcomes;
}
