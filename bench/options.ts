/** The bench's command line: `npm run bench -- [options] <workload...>`. */
export interface BenchOptions {
  /** CPython/importkit process pairs per workload, run A B A B … */
  readonly pairs: number;
  /** The interpreter to compare against (its stdlib is the tree). */
  readonly python: string;
  /** Measure syscalls with strace in this run (else ANCHORS.md's figures are used). */
  readonly strace: boolean;
  /** Remake bench/build's name lists (and W4's archives) even when they look current. */
  readonly regenerateNames: boolean;
  /** Progress, to stderr (stdout carries the results). */
  readonly log: (line: string) => void;
}

export const USAGE = `usage: npm run bench -- [--pairs N] [--python PATH] [--no-strace] [--regen-names] <workload...>
  --pairs N        CPython/importkit fresh-process pairs, alternated A B A B … (default 5)
  --python PATH    the CPython to compare against (default $PYTHON or python3)
  --no-strace      do not measure syscalls; use ANCHORS.md's CPython figures
  --regen-names    remake the name lists in bench/build/ (and W4's archives)`;

export function parseBenchArgs(argv: readonly string[]): { options: BenchOptions; workloads: string[] } {
  let pairs = 5;
  let python = process.env.PYTHON || "python3";
  let strace = true;
  let regenerateNames = false;
  const workloads: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--pairs") pairs = Number(argv[++i]);
    else if (arg === "--python") python = argv[++i] ?? python;
    else if (arg === "--no-strace") strace = false;
    else if (arg === "--regen-names") regenerateNames = true;
    else if (arg === "--help" || arg === "-h") throw new UsageError(USAGE);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    else workloads.push(arg.toLowerCase());
  }
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new UsageError(`--pairs must be a positive integer\n${USAGE}`);
  if (workloads.length === 0) throw new UsageError(USAGE);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  return { options: { pairs, python, strace, regenerateNames, log }, workloads };
}

export class UsageError extends Error {}
