/**
 * CPython 3.11 for the zip oracle tests: pyenv's 3.11 if there is one, else `python3` when it is 3.11.
 * Tests skip (it.skipIf) when neither exists. Runs with TZ=UTC, the zone importkit reads DOS times in.
 */
import { spawnSync } from "node:child_process";
import { pythonFor } from "../../bytecode/support/python.js";

function findPython311(): string | undefined {
  const pyenv = pythonFor("3.11");
  if (pyenv !== undefined) return pyenv;
  const probe = spawnSync("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
    encoding: "utf8",
  });
  return probe.status === 0 && probe.stdout.trim() === "3.11" ? "python3" : undefined;
}

export const PYTHON311 = findPython311();

/** Runs `code` with `input` on stdin (and `args` as sys.argv[1:]); returns stdout, throws with stderr. */
export function runPython311(code: string, input = "", args: readonly string[] = []): string {
  if (PYTHON311 === undefined) throw new Error("no CPython 3.11");
  const r = spawnSync(PYTHON311, ["-I", "-S", "-c", code, ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { PYTHONHASHSEED: "0", PATH: process.env.PATH ?? "", TZ: "UTC" },
  });
  if (r.status !== 0) throw new Error(`${PYTHON311} failed: ${r.stderr}`);
  return r.stdout;
}

/** `runPython311` whose stdout is one JSON document. */
export function pythonJson<T>(code: string, input = "", args: readonly string[] = []): T {
  return JSON.parse(runPython311(code, input, args)) as T;
}
