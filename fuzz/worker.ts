/**
 * A fuzz worker thread: makes the inputs of each batch it is given (from the run seed and the input index;
 * a batch is of pyc/marshal inputs, of zip archives or of snapshots), runs them through the legs, and reports
 * counts and findings. Before each input it stores the index and kind in the shared progress array, so the watchdog in
 * run.ts can name the input a hung or dead worker was on.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadCorpus, loadSnapshotSeeds, type SnapshotSeed } from "./corpus.js";
import type { Outcome } from "./legs.js";
import { decoderLeg, INPUT_STREAMS, loaderLeg, onPhase, onTick } from "./legs.js";
import { makeInput } from "./mutate.js";
import { Rng } from "./rng.js";
import { makeSnapshotInput, prepareSnapshotSeeds, snapshotLeg } from "./snapshot-leg.js";
import { zipLeg } from "./zip-leg.js";
import { makeZipInput, type ZipCorpus } from "./zip-mutate.js";
import { loadZipSeeds } from "./zip-seeds.js";

export interface WorkerInit {
  readonly seed: number;
  readonly corpusDir: string;
  readonly loaders: boolean;
  /** Build the zip seeds (the run has zip batches). */
  readonly zip: boolean;
  /** Build the snapshot seeds and their references (the run has snapshot batches). */
  readonly snapshot: boolean;
  /**
   * Int32Array over a SharedArrayBuffer: [input index, inputs started, busy 0/1, phase (legs.ts PHASES),
   * input stream (an index into legs.ts INPUT_STREAMS: 0 pyc/marshal, 1 zip, 2 snapshot)].
   */
  readonly progress: SharedArrayBuffer;
}

export interface FindingMessage {
  readonly type: "finding";
  /** Which inputs `index` counts: pyc/marshal inputs, zip archives or snapshots. */
  readonly stream: BatchKind;
  readonly index: number;
  readonly leg: string;
  readonly kind: string;
  readonly finding: string;
  readonly steps: readonly string[];
  readonly bytes: Uint8Array;
}

export interface BatchDone {
  readonly type: "done";
  readonly kind: BatchKind;
  readonly from: number;
  readonly to: number;
  /** "<leg> <kind>" → count */
  readonly counts: Record<string, number>;
  readonly bases: Record<string, number>;
  readonly maxMs: number;
  readonly maxMsIndex: number;
  readonly bytes: number;
}

export type BatchKind = (typeof INPUT_STREAMS)[number];

export type BatchRequest = {
  readonly type: "batch";
  readonly kind: BatchKind;
  readonly from: number;
  readonly to: number;
};

const init = workerData as WorkerInit;
const corpus = loadCorpus(init.corpusDir);
const progress = new Int32Array(init.progress);
onPhase((phase) => Atomics.store(progress, 3, phase));
// A zip archive or a snapshot is many calls (imports, finder and loader methods): each one finished is
// progress.
onTick(() => Atomics.add(progress, 1, 1));
const zipCorpus: ZipCorpus | null = init.zip ? await loadZipSeeds(corpus) : null;
const snapshotSeeds: SnapshotSeed[] | null = init.snapshot ? await loadSnapshotSeeds(corpus) : null;
if (snapshotSeeds) await prepareSnapshotSeeds(snapshotSeeds);

function report(
  stream: BatchKind,
  index: number,
  outcomes: readonly Outcome[],
  steps: readonly string[],
  bytes: Uint8Array,
) {
  for (const o of outcomes) {
    if (!o.finding) continue;
    const message: FindingMessage = {
      type: "finding",
      stream,
      index,
      leg: o.leg,
      kind: o.kind,
      finding: o.finding,
      steps,
      bytes,
    };
    parentPort!.postMessage(message);
  }
}

/** One input run through its legs: what the batch loop tallies. */
interface InputRun {
  /** The seed group the input was made from (counted in `bases`). */
  readonly group: string;
  readonly outcomes: readonly Outcome[];
  readonly ms: number;
  readonly steps: readonly string[];
  readonly bytes: Uint8Array;
}

/** A zip archive through the zip leg; its time is the leg's wall time. */
async function runZipInput(index: number): Promise<InputRun> {
  const input = makeZipInput(init.seed, index, zipCorpus!);
  const t0 = performance.now();
  const outcomes = await zipLeg(input);
  const ms = performance.now() - t0;
  return { group: input.seed.name.split("/")[0]!, outcomes, ms, steps: input.steps, bytes: input.bytes };
}

/** A snapshot through the snapshot legs; its time is the legs' wall time. */
async function runSnapshotInput(index: number): Promise<InputRun> {
  const input = makeSnapshotInput(init.seed, index, snapshotSeeds!);
  const t0 = performance.now();
  const outcomes = await snapshotLeg(input);
  const ms = performance.now() - t0;
  return { group: input.seed.name, outcomes, ms, steps: input.steps, bytes: input.bytes };
}

/** A pyc or marshal input through the decoder leg (and the loader leg); its time is the legs' sum. */
async function runPycInput(index: number): Promise<InputRun> {
  const input = makeInput(init.seed, index, corpus);
  const outcomes: Outcome[] = decoderLeg(input, new Rng(init.seed ^ 0x5bd1e995, index).next());
  if (init.loaders) outcomes.push(...(await loaderLeg(input)));
  const ms = outcomes.reduce((sum, o) => sum + o.ms, 0);
  return { group: input.seed.kind, outcomes, ms, steps: input.steps, bytes: input.bytes };
}

async function runBatch(kind: BatchRequest["kind"], from: number, to: number): Promise<BatchDone> {
  const counts: Record<string, number> = {};
  const bases: Record<string, number> = {};
  let maxMs = 0;
  let maxMsIndex = from;
  let bytes = 0;
  for (let index = from; index < to; index++) {
    Atomics.store(progress, 0, index);
    Atomics.store(progress, 4, INPUT_STREAMS.indexOf(kind));
    Atomics.add(progress, 1, 1);
    Atomics.store(progress, 2, 1);
    Atomics.store(progress, 3, 0);
    const run = await (kind === "zip"
      ? runZipInput(index)
      : kind === "snapshot"
        ? runSnapshotInput(index)
        : runPycInput(index));
    bytes += run.bytes.length;
    bases[run.group] = (bases[run.group] ?? 0) + 1;
    for (const o of run.outcomes) {
      const key = `${o.leg} ${o.kind}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    report(kind, index, run.outcomes, run.steps, run.bytes);
    if (run.ms > maxMs) {
      maxMs = run.ms;
      maxMsIndex = index;
    }
  }
  Atomics.store(progress, 2, 0);
  return { type: "done", kind, from, to, counts, bases, maxMs, maxMsIndex, bytes };
}

parentPort!.on("message", (message: BatchRequest) => {
  if (message.type !== "batch") return;
  runBatch(message.kind, message.from, message.to).then(
    (done) => parentPort!.postMessage(done),
    (error: unknown) => {
      // The legs catch everything an input throws; reaching here is a harness bug: let the worker die loudly.
      throw error;
    },
  );
});
parentPort!.postMessage({
  type: "ready",
  seeds: corpus.length,
  zipSeeds: zipCorpus?.seeds.length ?? 0,
  snapshotSeeds: snapshotSeeds?.length ?? 0,
});
