/** CPython interpreters from pyenv (`$PYENV_ROOT/versions/3.X.*`), for oracle tests; absent ones are skipped. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const ROOT = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");

/** The interpreter binary for "3.X", or undefined. */
export function pythonFor(minor: string): string | undefined {
  const versions = join(ROOT, "versions");
  if (!existsSync(versions)) return undefined;
  const dir = readdirSync(versions)
    .filter((v) => v === minor || v.startsWith(`${minor}.`))
    .sort()
    .pop();
  const bin = dir === undefined ? undefined : join(versions, dir, "bin", `python${minor}`);
  return bin !== undefined && existsSync(bin) ? bin : undefined;
}

/** Runs `code` with `input` on stdin; returns stdout (throws with stderr on failure). */
export function runPython(python: string, code: string, input = "", args: string[] = []): string {
  const r = spawnSync(python, ["-I", "-S", "-c", code, ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { PYTHONHASHSEED: "0", PATH: process.env.PATH ?? "" },
  });
  if (r.status !== 0) throw new Error(`${python} failed: ${r.stderr}`);
  return r.stdout;
}
