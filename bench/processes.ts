/** Runs one side of a workload as a fresh process and reads the JSON object it prints last. */
import { spawnSync } from "node:child_process";
import { BenchError } from "./bench-error.js";
import { repoRoot } from "./repo-paths.js";

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly wallNs: number;
}

/** Runs `argv` from the repository root; a non-zero exit becomes a BenchError carrying the command's stderr. */
export function runCommand(argv: readonly string[]): CommandOutput {
  const [file, ...args] = argv;
  if (file === undefined) throw new BenchError("empty command");
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const wallNs = Number(process.hrtime.bigint() - started);
  if (result.error) throw new BenchError(`cannot run ${file}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = result.stderr.trim().split("\n").slice(-20).join("\n");
    throw new BenchError(
      `command failed (exit ${result.status ?? result.signal}): ${argv.join(" ")}\n${tail}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr, wallNs };
}

/** The workload's result: the last stdout line, which every anchor and replay prints as one JSON object. */
export function runJson<T>(argv: readonly string[]): T {
  const { stdout } = runCommand(argv);
  const lines = stdout.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new BenchError(`no JSON result from: ${argv.join(" ")}\n${stdout.slice(-2000)}`);
  }
}
