/**
 * `npm run fuzz -- [--seed S] [--count N] [--zip Z] [--snapshot K] [--workers W] [--loaders auto|on|off]
 * [--corpus DIR] [--index I | --zip-index I | --snapshot-index I]`
 *
 * Mutates the pyc/marshal corpus (fuzz/mutate.ts) and feeds every input to the bytecode layer and, when the
 * pyc loaders exist, to the import system (fuzz/legs.ts); mutates real zip archives (fuzz/zip-mutate.ts) and
 * puts each on sys.path, through the zip path hook and loader (fuzz/zip-leg.ts); mutates snapshots
 * (fuzz/snapshot-leg.ts) and imports from each through the snapshot plugin, against the path importer
 * alone; all in worker threads.
 * Every outcome must be a success or a typed error; anything else — a JS TypeError/RangeError, a stack
 * overflow, a hang or a run of more than a second, heap growth past a small multiple of the input, a worker
 * that dies, a broken zip invariant, a wrong module served from a snapshot — is a finding: printed with the
 * seed, the index and how the input was made, saved under fuzz/findings/, and the run exits 1.
 * Input N depends only on (seed, N), so `--seed S --index N` replays one input in this process (zip archive
 * N: `--zip-index N`; snapshot N: `--snapshot-index N`).
 * Progress goes to stderr; the summary to stdout. Not part of `npm test`.
 */
import { mkdirSync, writeFileSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { defaultCorpusDir, loadCorpus, loadSnapshotSeeds, repoRoot, type SnapshotSeed } from "./corpus.js";
import type { Outcome } from "./legs.js";
import { decoderLeg, INPUT_STREAMS, loaderLeg, onPhase, PHASES } from "./legs.js";
import { makeInput } from "./mutate.js";
import { Rng } from "./rng.js";
import { makeSnapshotInput, prepareSnapshotSeeds, snapshotLeg } from "./snapshot-leg.js";
import type { BatchDone, BatchKind, BatchRequest, FindingMessage, WorkerInit } from "./worker.js";
import { zipLeg } from "./zip-leg.js";
import { makeZipInput, type ZipCorpus } from "./zip-mutate.js";
import { loadZipSeeds } from "./zip-seeds.js";

const USAGE = `usage: npm run fuzz -- [options]
  --seed S          run seed (default 1)
  --count N         pyc/marshal inputs (default 100000)
  --zip Z           zip archives through the zip path hook and loader (default 20000; 0: none)
  --snapshot K      snapshots through the snapshot plugin and importer (default 10000; 0: none)
  --workers W       worker threads (default: available cores, at most 4)
  --loaders MODE    auto (default: on once the pyc loaders exist), on, off
  --corpus DIR      seed corpus (default test/fixtures/corpus if present, else ../shared/corpus)
  --batch B         inputs per batch handed to a worker (default 200)
  --hang-ms MS      an input running longer than this is a hang (default 1000; for a zip archive,
                    one import or loader call)
  --index I         run input I of the seed alone, in this process, and print each leg's outcome
                    (no watchdog here: wrap it in \`timeout 10\` to replay a hang)
  --zip-index I     the same for zip archive I of the seed
  --snapshot-index I  the same for snapshot I of the seed`;

interface Options {
  seed: number;
  count: number;
  zip: number;
  snapshot: number;
  workers: number;
  loaders: "auto" | "on" | "off";
  corpusDir: string;
  batch: number;
  hangMs: number;
  index: number | null;
  zipIndex: number | null;
  snapshotIndex: number | null;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    seed: 1,
    count: 100_000,
    zip: 20_000,
    snapshot: 10_000,
    workers: Math.max(1, Math.min(4, availableParallelism())),
    loaders: "auto",
    corpusDir: defaultCorpusDir(),
    batch: 200,
    hangMs: 1000,
    index: null,
    zipIndex: null,
    snapshotIndex: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    const int = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a non-negative integer\n${USAGE}`);
      return n;
    };
    if (arg === "--seed") o.seed = int();
    else if (arg === "--count") o.count = int();
    else if (arg === "--zip") o.zip = int();
    else if (arg === "--snapshot") o.snapshot = int();
    else if (arg === "--workers") o.workers = Math.max(1, int());
    else if (arg === "--loaders") {
      const mode = value();
      if (mode !== "auto" && mode !== "on" && mode !== "off")
        throw new Error(`--loaders auto|on|off\n${USAGE}`);
      o.loaders = mode;
    } else if (arg === "--corpus") o.corpusDir = value();
    else if (arg === "--batch") o.batch = Math.max(1, int());
    else if (arg === "--hang-ms") o.hangMs = Math.max(1, int());
    else if (arg === "--index") o.index = int();
    else if (arg === "--zip-index") o.zipIndex = int();
    else if (arg === "--snapshot-index") o.snapshotIndex = int();
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return o;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Do the loaders reach the bytecode layer? Imports one unmutated 3.11 pyc (cached and lone): "pending" when
 * either still ends in a documented "not supported yet" NotSupportedError.
 */
async function probeLoaders(corpusDir: string): Promise<{ ready: boolean; detail: string }> {
  const corpus = loadCorpus(corpusDir);
  const seed = corpus.find((f) => f.name.endsWith("3.11/ints.pyc")) ?? corpus.find((f) => f.kind === "pyc");
  if (!seed) return { ready: false, detail: "no pyc in the corpus" };
  const outcomes = await loaderLeg({ index: -1, seed, bytes: seed.bytes, steps: [] });
  const pending = outcomes.filter((o) => o.kind === "NotSupported(pending)");
  const detail = outcomes.map((o) => `${o.leg}: ${o.kind}`).join(", ");
  return { ready: pending.length === 0, detail: `${seed.name} unmutated → ${detail}` };
}

interface Finding {
  /** Which inputs `index` counts: pyc/marshal inputs, zip archives or snapshots. */
  readonly stream: BatchKind;
  readonly index: number;
  readonly leg: string;
  readonly kind: string;
  readonly finding: string;
  readonly steps: readonly string[];
  readonly bytes: Uint8Array | null;
}

const findingsDir = join(repoRoot, "fuzz", "findings");

/** Findings that differ only in numbers, offsets and file names are one problem: its signature. */
export function signature(f: Finding): string {
  const first = f.finding.split("\n")[0] ?? "";
  return `${f.kind}: ${first}`
    .replace(/\/lib\/(?:__pycache__\/)?\w+(?:\.[\w-]+)*\.pyc?/g, "FILE")
    .replace(/fuzz-\d+/g, "FILE")
    .replace(/-?\d+(?:\.\d+)?/g, "N");
}

/** How many findings of one signature are printed and saved (all are counted). */
const SHOWN_PER_SIGNATURE = 3;

/** Per stream: the prefix of an index in file names, the saved input's extension, what it is, its replay option. */
const STREAMS = {
  pyc: { prefix: "", ext: "bin", noun: "input", replay: "index" },
  zip: { prefix: "z", ext: "zip", noun: "zip archive", replay: "zip-index" },
  snapshot: { prefix: "s", ext: "snapshot", noun: "snapshot", replay: "snapshot-index" },
} as const;

function report(seed: number, f: Finding, nth: number): void {
  if (nth > SHOWN_PER_SIGNATURE) return;
  mkdirSync(findingsDir, { recursive: true });
  const stream = STREAMS[f.stream];
  const stem = join(findingsDir, `seed${seed}-${stream.prefix}${f.index}-${f.leg.replace(":", "_")}`);
  const file = `${stem}.${stream.ext}`;
  const hex = f.bytes ? Buffer.from(f.bytes).toString("hex") : "";
  if (f.bytes) writeFileSync(file, f.bytes);
  const text = [
    `seed ${seed}, ${stream.noun} ${f.index}, leg ${f.leg}: ${f.kind}`,
    `made by: ${f.steps.join("; ")}`,
    `replay: npm run fuzz -- --seed ${seed} --${stream.replay} ${f.index}`,
    f.bytes ? `input: ${f.bytes.length} bytes, saved as ${file}` : "input: (not available)",
    f.finding,
  ].join("\n");
  writeFileSync(`${stem}.txt`, `${text}\n${hex.length <= 4096 ? `hex: ${hex}\n` : ""}`);
  log(`FINDING ${text.split("\n").slice(0, 7).join("\n  ")}`);
  if (f.bytes && f.bytes.length <= 256) log(`  hex: ${hex}`);
  if (nth === SHOWN_PER_SIGNATURE) log(`  (further findings like this one are only counted)`);
}

function showOutcome(out: Outcome): void {
  const heap = (out.heapGrowth / 1048576).toFixed(1);
  writeSync(
    1,
    `  ${out.leg}: ${out.kind} (${out.ms.toFixed(1)} ms, heap ${out.heapGrowth >= 0 ? "+" : ""}${heap} MiB)\n`,
  );
  if (out.finding) writeSync(1, `    ${out.finding.split("\n").join("\n    ")}\n`);
}

async function runOneZip(o: Options, index: number): Promise<number> {
  const zipCorpus = await loadZipSeeds(loadCorpus(o.corpusDir));
  const input = makeZipInput(o.seed, index, zipCorpus);
  writeSync(
    1,
    `seed ${o.seed}, zip archive ${index}: ${input.steps.join("; ")} (${input.bytes.length} bytes)\n`,
  );
  onPhase((phase) => writeSync(1, `  … ${PHASES[phase]}\n`));
  const outcomes = await zipLeg(input);
  outcomes.forEach(showOutcome);
  return outcomes.some((x) => x.finding) ? 1 : 0;
}

async function runOneSnapshot(o: Options, index: number): Promise<number> {
  const seeds = await loadSnapshotSeeds(loadCorpus(o.corpusDir));
  await prepareSnapshotSeeds(seeds);
  const input = makeSnapshotInput(o.seed, index, seeds);
  writeSync(
    1,
    `seed ${o.seed}, snapshot ${index}: ${input.steps.join("; ")} (${input.bytes.length} bytes; ` +
      `${JSON.stringify(input.settings)})\n`,
  );
  onPhase((phase) => writeSync(1, `  … ${PHASES[phase]}\n`));
  const outcomes = await snapshotLeg(input);
  outcomes.forEach(showOutcome);
  return outcomes.some((x) => x.finding) ? 1 : 0;
}

async function runOne(o: Options, index: number): Promise<number> {
  const corpus = loadCorpus(o.corpusDir);
  const input = makeInput(o.seed, index, corpus);
  writeSync(1, `seed ${o.seed}, input ${index}: ${input.steps.join("; ")} (${input.bytes.length} bytes)\n`);
  const show = showOutcome;
  // Phases are printed as they start: a hang (this process has no watchdog) stops right after its phase.
  // Written synchronously: a hung loop never lets an asynchronous pipe write out.
  onPhase((phase) => writeSync(1, `  … ${PHASES[phase]}\n`));
  const outcomes: Outcome[] = decoderLeg(input, new Rng(o.seed ^ 0x5bd1e995, index).next());
  outcomes.forEach(show);
  if (o.loaders !== "off") {
    const loaded = await loaderLeg(input);
    loaded.forEach(show);
    outcomes.push(...loaded);
  }
  return outcomes.some((x) => x.finding) ? 1 : 0;
}

interface Batch {
  readonly kind: BatchKind;
  readonly from: number;
  readonly to: number;
}

/** pyc, zip and snapshot batches interleaved in proportion, so every kind runs from the start. */
function plan(totals: Readonly<Record<BatchKind, number>>, size: number): Batch[] {
  const streams = (Object.keys(totals) as BatchKind[]).map((kind) => {
    const batches: Batch[] = [];
    for (let from = 0; from < totals[kind]; from += size)
      batches.push({ kind, from, to: Math.min(totals[kind], from + size) });
    return { batches, next: 0 };
  });
  const out: Batch[] = [];
  for (;;) {
    // Whichever kind is furthest behind its share goes next.
    const open = streams.filter((s) => s.next < s.batches.length);
    if (open.length === 0) return out;
    const behind = open.reduce((a, b) => (b.next / b.batches.length < a.next / a.batches.length ? b : a));
    out.push(behind.batches[behind.next++]!);
  }
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  batch: Batch | null;
  lastStarted: number;
  lastChange: number;
  ready: boolean;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  if (o.index !== null) return runOne(o, o.index);
  if (o.zipIndex !== null) return runOneZip(o, o.zipIndex);
  if (o.snapshotIndex !== null) return runOneSnapshot(o, o.snapshotIndex);

  const corpus = loadCorpus(o.corpusDir);
  if (corpus.length === 0) throw new Error(`no .pyc or .bin files under ${o.corpusDir}`);
  const zipCorpus: ZipCorpus | null = o.zip > 0 ? await loadZipSeeds(corpus) : null;
  const snapshotSeeds: SnapshotSeed[] | null = o.snapshot > 0 ? await loadSnapshotSeeds(corpus) : null;
  let loaders = o.loaders === "on";
  let loaderNote = "off (--loaders off)";
  if (o.loaders === "auto") {
    const probe = await probeLoaders(o.corpusDir);
    loaders = probe.ready;
    loaderNote = probe.ready
      ? `on (${probe.detail})`
      : `OFF: the pyc loaders still end in "not supported yet" (${probe.detail}); decoder leg only`;
  } else if (loaders) loaderNote = "on (--loaders on)";
  log(
    `fuzz: seed ${o.seed}, ${o.count} inputs, ${o.zip} zip archives, ${o.snapshot} snapshots, ${o.workers} workers, ` +
      `corpus ${o.corpusDir} (${corpus.length} seed files${zipCorpus ? `, ${zipCorpus.seeds.length} seed archives` : ""}` +
      `${snapshotSeeds ? `, ${snapshotSeeds.length} seed snapshots` : ""}); loader leg ${loaderNote}`,
  );

  const started = performance.now();
  const counts: Record<string, number> = {};
  const bases: Record<string, number> = {};
  const findings: Finding[] = [];
  const bySignature = new Map<string, { count: number; first: Finding }>();
  const reported = new Set<string>();
  const record = (f: Finding) => {
    const key = `${STREAMS[f.stream].prefix}${f.index}|${f.leg}`;
    if (reported.has(key)) return;
    reported.add(key);
    findings.push(f);
    const sig = signature(f);
    const seen = bySignature.get(sig) ?? { count: 0, first: f };
    seen.count++;
    bySignature.set(sig, seen);
    report(o.seed, f, seen.count);
  };
  const done = { pyc: 0, zip: 0, snapshot: 0 };
  const bytes = { pyc: 0, zip: 0, snapshot: 0 };
  const slowest = { pyc: { ms: 0, index: -1 }, zip: { ms: 0, index: -1 }, snapshot: { ms: 0, index: -1 } };
  const zipBases: Record<string, number> = {};
  const snapshotBases: Record<string, number> = {};
  const pending: Batch[] = plan({ pyc: o.count, zip: o.zip, snapshot: o.snapshot }, o.batch);
  const total = o.count + o.zip + o.snapshot;
  let lastLog = 0;

  return await new Promise<number>((resolveRun) => {
    const slots: Slot[] = [];
    let finished = false;

    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const s of slots) void s.worker.terminate();
      const seconds = (performance.now() - started) / 1000;
      const byLeg = new Map<string, string[]>();
      for (const [key, n] of Object.entries(counts).sort()) {
        const [leg, kind] = key.split(" ") as [string, string];
        byLeg.set(leg, [...(byLeg.get(leg) ?? []), `${kind} ${n}`]);
      }
      for (const [leg, parts] of byLeg) log(`  ${leg}: ${parts.join(", ")}`);
      if (o.count > 0) log(`  slowest input: ${slowest.pyc.index} (${slowest.pyc.ms.toFixed(1)} ms)`);
      if (o.zip > 0) {
        log(`  slowest zip archive: ${slowest.zip.index} (${slowest.zip.ms.toFixed(1)} ms)`);
        const groups = Object.entries(zipBases)
          .sort()
          .map(([g, n]) => `${g} ${n}`);
        log(`  zip archives by seed group: ${groups.join(", ")}`);
      }
      if (o.snapshot > 0) {
        log(`  slowest snapshot: ${slowest.snapshot.index} (${slowest.snapshot.ms.toFixed(1)} ms)`);
        const groups = Object.entries(snapshotBases)
          .sort()
          .map(([g, n]) => `${g} ${n}`);
        log(`  snapshots by seed: ${groups.join(", ")}`);
      }
      for (const [sig, { count, first }] of [...bySignature].sort((a, b) => b[1].count - a[1].count)) {
        log(`  finding ×${count} (first: input ${first.index}, ${first.leg}): ${sig.slice(0, 300)}`);
      }
      console.log(
        `fuzz summary: seed ${o.seed}, ${done.pyc} inputs (${bases.pyc ?? 0} pyc, ${bases.raw ?? 0} raw; ` +
          `${(bytes.pyc / 1e6).toFixed(1)} MB), loader leg ${loaders ? "on" : "off"}, ` +
          `${done.zip} zip archives through the hook and loader (${(bytes.zip / 1e6).toFixed(1)} MB), ` +
          `${done.snapshot} snapshots through the snapshot importer (${(bytes.snapshot / 1e6).toFixed(1)} MB), ` +
          `${findings.length} finding${findings.length === 1 ? "" : "s"} (${bySignature.size} distinct), ` +
          `${seconds.toFixed(1)} s (${Math.round((done.pyc + done.zip + done.snapshot) / seconds)} inputs/s)`,
      );
      resolveRun(
        findings.length || done.pyc < o.count || done.zip < o.zip || done.snapshot < o.snapshot ? 1 : 0,
      );
    };

    const next = (slot: Slot) => {
      const batch = pending.shift();
      slot.batch = batch ?? null;
      if (batch) {
        slot.lastChange = performance.now();
        slot.worker.postMessage({ type: "batch", ...batch } satisfies BatchRequest);
      } else if (slots.every((s) => s.batch === null)) finish();
    };

    /** A worker that hung or died: the input it was on is a finding; the rest of its batch goes back. */
    const lost = (slot: Slot, why: string) => {
      if (!slot.ready) {
        log(`fuzz: a worker failed to start: ${why}`);
        finished = true;
        clearInterval(watchdog);
        for (const s of slots) void s.worker.terminate();
        resolveRun(2);
        return;
      }
      const index = Atomics.load(slot.progress, 0);
      const phase = PHASES[Atomics.load(slot.progress, 3)] ?? "unknown";
      const batch = slot.batch;
      const stream = INPUT_STREAMS[Atomics.load(slot.progress, 4)] ?? "pyc";
      let input: { steps: readonly string[]; bytes: Uint8Array | null };
      try {
        input =
          stream === "zip"
            ? makeZipInput(o.seed, index, zipCorpus!)
            : stream === "snapshot"
              ? makeSnapshotInput(o.seed, index, snapshotSeeds!)
              : makeInput(o.seed, index, corpus);
      } catch (error) {
        // Making the input is what killed the worker (a harness bug): still a finding, with the replay command.
        input = {
          steps: [`(the input cannot be made: ${error instanceof Error ? error.message : error})`],
          bytes: null,
        };
      }
      const inBytecode = /running the module's (?:byte)?code/.test(phase);
      const f: Finding = {
        stream,
        index,
        leg: phase.split(" ")[0]!,
        kind: `${why.split(":")[0]!}${inBytecode ? "-in-bytecode" : ""}`,
        finding: `${why}, in ${phase}${
          inBytecode
            ? " (the mutated program may loop forever, as it would in CPython; the runner never yields)"
            : ""
        }`,
        steps: input.steps,
        bytes: input.bytes,
      };
      record(f);
      done[stream] += 1;
      // The batch's counts die with the worker: run the rest of it again (its findings are not reported twice).
      counts[`${f.leg} ${f.kind}`] = (counts[`${f.leg} ${f.kind}`] ?? 0) + 1;
      if (batch && index + 1 < batch.to) pending.unshift({ kind: batch.kind, from: index + 1, to: batch.to });
      if (batch && batch.from < index) pending.unshift({ kind: batch.kind, from: batch.from, to: index });
      slots.splice(slots.indexOf(slot), 1);
      void slot.worker.terminate();
      spawn();
    };

    const spawn = () => {
      const progress = new Int32Array(new SharedArrayBuffer(20));
      const init: WorkerInit = {
        seed: o.seed,
        corpusDir: o.corpusDir,
        loaders,
        zip: o.zip > 0,
        snapshot: o.snapshot > 0,
        progress: progress.buffer as SharedArrayBuffer,
      };
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), {
        workerData: init,
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
      });
      const slot: Slot = {
        worker,
        progress,
        batch: null,
        lastStarted: 0,
        lastChange: performance.now(),
        ready: false,
      };
      slots.push(slot);
      worker.on("message", (m: { type: string }) => {
        if (m.type === "ready") {
          slot.ready = true;
          next(slot);
        } else if (m.type === "finding") {
          record(m as unknown as FindingMessage);
        } else if (m.type === "done") {
          // A worker the watchdog gave up on may still deliver its batch: the batch was handed out again.
          if (!slots.includes(slot)) return;
          const d = m as unknown as BatchDone;
          done[d.kind] += d.to - d.from;
          bytes[d.kind] += d.bytes;
          for (const [k, n] of Object.entries(d.counts)) counts[k] = (counts[k] ?? 0) + n;
          const basesOf = d.kind === "zip" ? zipBases : d.kind === "snapshot" ? snapshotBases : bases;
          for (const [k, n] of Object.entries(d.bases)) basesOf[k] = (basesOf[k] ?? 0) + n;
          if (d.maxMs > slowest[d.kind].ms) slowest[d.kind] = { ms: d.maxMs, index: d.maxMsIndex };
          const now = performance.now();
          const all = done.pyc + done.zip + done.snapshot;
          if (now - lastLog > 5000 || all === total) {
            lastLog = now;
            const s = (now - started) / 1000;
            log(
              `  ${done.pyc}/${o.count} inputs, ${done.zip}/${o.zip} zip archives, ` +
                `${done.snapshot}/${o.snapshot} snapshots, ${findings.length} findings, ` +
                `${s.toFixed(0)} s (${Math.round(all / s)}/s)`,
            );
          }
          next(slot);
        }
      });
      worker.on("error", (error) => {
        if (!finished && slots.includes(slot)) lost(slot, `worker died: ${error.stack ?? String(error)}`);
      });
      worker.on("exit", (code) => {
        if (!finished && slots.includes(slot)) lost(slot, `worker exited with code ${code}`);
      });
    };

    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const slot of [...slots]) {
        if (!slot.ready || slot.batch === null) continue;
        const startedCount = Atomics.load(slot.progress, 1);
        if (startedCount !== slot.lastStarted) {
          slot.lastStarted = startedCount;
          slot.lastChange = now;
        } else if (Atomics.load(slot.progress, 2) === 1 && now - slot.lastChange > o.hangMs) {
          lost(slot, `hang: no progress for ${Math.round(now - slot.lastChange)} ms (limit ${o.hangMs} ms)`);
        }
      }
    }, 50);

    for (let k = 0; k < o.workers; k++) spawn();
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
