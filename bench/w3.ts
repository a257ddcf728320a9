/**
 * W3, marshal decode: CPython's anchors/w3_marshal.py and importkit's bench/w3-replay.ts on the same files
 * (every `*.pyc` under the interpreter's `$L` carrying its magic, in the anchor's sorted walk), alternately in
 * fresh processes. First one untimed importkit pass decodes every file, counts marshal records with the
 * anchor's scanner and checks the totals against the anchor's record file (`results/w3_records_pyXY.json`)
 * when it describes this tree. Both sides then time 5 decode sweeps per process; the figure is MB/s of
 * payload (and records/s from the same record count), median over processes. importkit's decoder hands out
 * `bytes` values as views of the input by default, where CPython copies them; each importkit process also
 * times 5 sweeps with `copyBytes: true`, reported beside the headline.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import { anchorCommand, replayCommand } from "./commands.js";
import type { BenchOptions } from "./options.js";
import { runPairs } from "./paired-runs.js";
import { runJson } from "./processes.js";
import { pythonTree } from "./python-tree.js";
import { sharedBenchDir } from "./repo-paths.js";
import type { WorkloadReport } from "./report.js";
import { fixed, grouped, r3, ratioText, spread, table } from "./report.js";
import type { Stats } from "./stats.js";
import { summarize } from "./stats.js";

const SWEEPS = 5;

interface RecordCounts {
  records: number;
  refs: number;
  code_records: number;
}

/** The keys both W3 processes print. */
interface W3Result {
  interpreter: { version?: string; node?: string };
  pyc_files: number;
  decoded_files: number;
  other_magic_files: number;
  payload_bytes: number;
  code_objects: number;
  read_all_ns: number;
  sweep_s: Stats;
  MB_per_s: Stats;
  files_per_s: Stats;
  code_objects_per_s: Stats;
  marshal_records?: RecordCounts;
  records_per_s?: Stats;
  memcpy_GBps?: Stats;
  /** importkit only: the same sweeps with every bytes value copied out of the input. */
  copy_bytes_MB_per_s?: Stats;
  decode_vs_memcpy_ratio?: number;
  /** importkit's check pass only. */
  counted_records?: RecordCounts;
  records_match_cache?: boolean;
  records_cache_key?: string | null;
}

export function runW3(options: BenchOptions): WorkloadReport {
  const { log } = options;
  const tree = pythonTree(options.python);
  const [major, minor] = tree.version.split(".");
  const recordsFile = join(sharedBenchDir, "results", `w3_records_py${major}${minor}.json`);
  const cache = existsSync(recordsFile) ? ["--records-cache", recordsFile] : [];
  const sweeps = ["--sweeps", String(SWEEPS)];
  const cpython = anchorCommand(tree, "w3_marshal.py", [...cache, ...sweeps, tree.stdlib]);
  const replay = replayCommand(tree, "w3-replay.ts", []);
  const importkit = [...replay, ...cache, ...sweeps, "--copy-sweeps", String(SWEEPS), tree.stdlib];

  log(`W3: decoding every pyc of ${tree.stdlib} once and counting its marshal records (untimed) ...`);
  const check = runJson<W3Result>([...replay, ...cache, "--check-only", "--count-records", tree.stdlib]);
  if (check.decoded_files === 0) throw new BenchError(`W3: no ${tree.profile} pyc under ${tree.stdlib}`);
  if (check.records_match_cache === false) {
    throw new BenchError(
      `W3: importkit counted ${JSON.stringify(check.counted_records)} marshal records, the anchor's ` +
        `${recordsFile} says ${JSON.stringify(check.marshal_records)}`,
    );
  }
  const records = check.counted_records!;
  const checkedAgainst = check.records_match_cache
    ? recordsFile
    : "importkit's count only (no record file for this tree)";

  log(`W3: ${options.pairs} pairs, CPython then importkit, fresh processes, ${SWEEPS} sweeps each ...`);
  let lastCpython: W3Result | null = null;
  const sameFiles = (side: string, r: W3Result) => {
    const want = lastCpython ?? check;
    if (
      r.decoded_files !== want.decoded_files ||
      r.payload_bytes !== want.payload_bytes ||
      r.code_objects !== want.code_objects
    ) {
      throw new BenchError(
        `W3: ${side} decoded ${r.decoded_files} files, ${r.payload_bytes} bytes, ${r.code_objects} code objects; ` +
          `expected ${want.decoded_files}, ${want.payload_bytes}, ${want.code_objects}`,
      );
    }
  };
  const runs = runPairs<W3Result, W3Result>(
    options.pairs,
    {
      label: "CPython",
      argv: cpython,
      check: (r) => {
        sameFiles("CPython", r);
        lastCpython = r;
      },
    },
    { label: "importkit", argv: importkit, check: (r) => sameFiles("importkit", r) },
    log,
    (c, i) => `CPython ${fixed(c.MB_per_s.median, 0)} MB/s, importkit ${fixed(i.MB_per_s.median, 0)} MB/s`,
  );

  const mbs = (rs: W3Result[]) => summarize(rs.map((r) => r.MB_per_s.median));
  const sweepMs = (rs: W3Result[]) => summarize(rs.map((r) => r.sweep_s.median * 1000));
  const perSecond = (rs: W3Result[], count: number) => summarize(rs.map((r) => count / r.sweep_s.median));
  const cMb = mbs(runs.cpython);
  const iMb = mbs(runs.importkit);
  const iCopyMb = summarize(runs.importkit.map((r) => r.copy_bytes_MB_per_s?.median ?? Number.NaN));
  const ratio = iMb.median / cMb.median;
  const pairRatio = summarize(
    runs.importkit.map((r, k) => r.MB_per_s.median / runs.cpython[k]!.MB_per_s.median),
  );
  const cRec = perSecond(runs.cpython, records.records);
  const iRec = perSecond(runs.importkit, records.records);
  const cCode = perSecond(runs.cpython, check.code_objects);
  const iCode = perSecond(runs.importkit, check.code_objects);
  const cFiles = perSecond(runs.cpython, check.decoded_files);
  const iFiles = perSecond(runs.importkit, check.decoded_files);
  const first = runs.cpython[0]!;
  const mega = (s: Stats) => ({ median: s.median / 1e6, min: s.min / 1e6, max: s.max / 1e6, n: s.n });
  const kilo = (s: Stats) => ({ median: s.median / 1e3, min: s.min / 1e3, max: s.max / 1e3, n: s.n });

  const humanLines = [
    `W3 marshal decode: ${grouped(check.decoded_files)} pycs of ${tree.stdlib} (magic ${tree.profile}), ` +
      `${fixed(check.payload_bytes / 1e6, 1)} MB of payload, ${grouped(records.records)} marshal records ` +
      `(${grouped(records.refs)} refs), ${grouped(check.code_objects)} code objects`,
    `  CPython ${first.interpreter.version} (${tree.python} -I -S, marshal.loads) vs importkit ` +
      `(node ${process.version}, decodeMarshal); ${options.pairs} pairs of fresh processes, ${SWEEPS} sweeps each; ` +
      `record totals checked against ${checkedAgainst}`,
    ...table([
      ["median over processes (min–max)", "CPython", "importkit", "importkit / CPython"],
      ["MB/s", spread(cMb, 0), spread(iMb, 0), `${ratioText(ratio)} (pairs ${spread(pairRatio)})`],
      [
        "MB/s, importkit copying bytes values",
        "",
        spread(iCopyMb, 0),
        ratioText(iCopyMb.median / cMb.median),
      ],
      ["ms per sweep", spread(sweepMs(runs.cpython), 0), spread(sweepMs(runs.importkit), 0), ""],
      ["M records/s", spread(mega(cRec)), spread(mega(iRec)), ratioText(iRec.median / cRec.median)],
      [
        "k code objects/s",
        spread(kilo(cCode), 0),
        spread(kilo(iCode), 0),
        ratioText(iCode.median / cCode.median),
      ],
      [
        "k files/s",
        spread(kilo(cFiles), 1),
        spread(kilo(iFiles), 1),
        ratioText(iFiles.median / cFiles.median),
      ],
      [
        "memcpy GB/s (copy floor)",
        spread(summarize(runs.cpython.map((r) => r.memcpy_GBps?.median ?? Number.NaN)), 1),
        spread(summarize(runs.importkit.map((r) => r.memcpy_GBps?.median ?? Number.NaN)), 1),
        "",
      ],
    ]),
    `  ratio = importkit speed / CPython speed: above 1 means importkit decodes faster`,
  ];
  const round = (s: Stats) => ({ median: r3(s.median), min: r3(s.min), max: r3(s.max), n: s.n });
  const jsonLines = [
    {
      workload: "W3",
      importkit_mb_s: r3(iMb.median),
      cpython_mb_s: r3(cMb.median),
      ratio: r3(ratio),
      importkit_records_s: Math.round(iRec.median),
      importkit_copy_bytes_mb_s: r3(iCopyMb.median),
      copy_bytes_ratio: r3(iCopyMb.median / cMb.median),
      cpython_records_s: Math.round(cRec.median),
      files: check.decoded_files,
      payload_bytes: check.payload_bytes,
      records: records.records,
      refs: records.refs,
      code_objects: check.code_objects,
      records_checked_against: check.records_match_cache ? "anchor record file" : "importkit count only",
      importkit_mb_s_stats: round(iMb),
      cpython_mb_s_stats: round(cMb),
      pair_ratio_stats: round(pairRatio),
      importkit_sweep_ms: round(sweepMs(runs.importkit)),
      cpython_sweep_ms: round(sweepMs(runs.cpython)),
      importkit_code_objects_s: Math.round(iCode.median),
      cpython_code_objects_s: Math.round(cCode.median),
      sweeps_per_process: SWEEPS,
      pairs: options.pairs,
      cpython_version: first.interpreter.version,
      node_version: process.version,
    },
  ];
  return { humanLines, jsonLines };
}
