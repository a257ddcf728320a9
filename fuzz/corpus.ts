/**
 * The seed inputs: every `.pyc` under `<corpus>/pyc/` and every marshal blob (`.bin`) under `<corpus>/marshal/`,
 * in sorted order, with the CPython version their directory names (which picks a raw blob's code layout and
 * the loader leg's profile). The corpus is `test/fixtures/corpus/` when present, else the shared
 * `<repo>/../shared/corpus/`, or `--corpus DIR`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface SeedFile {
  /** Relative to the corpus root, e.g. `pyc/3.11/ints.pyc`. */
  readonly name: string;
  readonly kind: "pyc" | "raw";
  /** "3.6" … "3.14", from the directory. */
  readonly version: string;
  readonly bytes: Uint8Array;
}

export function defaultCorpusDir(): string {
  const fixture = join(repoRoot, "test", "fixtures", "corpus");
  if (existsSync(join(fixture, "pyc"))) return fixture;
  return resolve(repoRoot, "..", "shared", "corpus");
}

function walk(dir: string, suffix: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, suffix, out);
    else if (name.endsWith(suffix)) out.push(full);
  }
}

export function loadCorpus(root: string): SeedFile[] {
  const paths: string[] = [];
  walk(join(root, "pyc"), ".pyc", paths);
  walk(join(root, "marshal"), ".bin", paths);
  return paths.map((p) => ({
    name: relative(root, p),
    kind: p.endsWith(".pyc") ? "pyc" : "raw",
    version: basename(dirname(p)),
    bytes: new Uint8Array(readFileSync(p)),
  }));
}
