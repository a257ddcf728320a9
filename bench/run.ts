/**
 * `npm run bench -- [options] <workload...>`: runs each workload (CPython and importkit alternately, in fresh
 * processes), then prints its human-readable lines followed by one JSON object per line. Progress goes to
 * stderr. Add a workload by adding a row to the table.
 */
import { BenchError } from "./bench-error.js";
import type { BenchOptions } from "./options.js";
import { parseBenchArgs, UsageError } from "./options.js";
import { runOverlays } from "./overlays.js";
import type { WorkloadReport } from "./report.js";
import { runSnapshot } from "./snapshot.js";
import { runW1 } from "./w1.js";
import { runW2 } from "./w2.js";
import { runW3 } from "./w3.js";
import { runW4 } from "./w4.js";

const WORKLOADS: Record<string, (options: BenchOptions) => WorkloadReport> = {
  w1: runW1,
  w2: runW2,
  w3: runW3,
  w4: runW4,
  overlays: runOverlays,
  snapshot: runSnapshot,
};

function main(argv: readonly string[]): number {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nworkloads: ${Object.keys(WORKLOADS).join(", ")}`);
      return 2;
    }
    throw error;
  }
  const unknown = parsed.workloads.filter((w) => !(w in WORKLOADS));
  if (unknown.length) {
    console.error(`unknown workload ${unknown.join(", ")}; known: ${Object.keys(WORKLOADS).join(", ")}`);
    return 2;
  }
  for (const name of parsed.workloads) {
    let report: WorkloadReport;
    try {
      report = WORKLOADS[name]!(parsed.options);
    } catch (error) {
      if (!(error instanceof BenchError)) throw error;
      console.error(`${name}: ${error.message}`);
      return 1;
    }
    for (const line of report.humanLines) console.log(line);
    for (const line of report.jsonLines) console.log(JSON.stringify(line));
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
