/**
 * Where the bench finds things: the repository, the shared anchor workloads (`<repo>/../shared/bench`,
 * read-only) and its own git-ignored build directory for this machine's name lists.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError } from "./bench-error.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const benchDir = join(repoRoot, "bench");
export const buildDir = join(benchDir, "build");
export const sharedBenchDir = resolve(repoRoot, "..", "shared", "bench");
export const anchorsDir = join(sharedBenchDir, "anchors");

/** An anchor script by file name; fails with a clear message when the shared folder is not beside the repo. */
export function anchorScript(fileName: string): string {
  const path = join(anchorsDir, fileName);
  if (!existsSync(path)) {
    throw new BenchError(
      `the CPython anchor ${fileName} is missing: expected ${path}.\n` +
        `The benchmarks run CPython's side from the shared folder <repo>/../shared/bench (ANCHORS.md); ` +
        `check it out next to this repository.`,
    );
  }
  return path;
}

/** A script of this bench folder (the replays run as their own processes). */
export function benchScript(fileName: string): string {
  return join(benchDir, fileName);
}
