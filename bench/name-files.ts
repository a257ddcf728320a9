/**
 * The anchors' name files (`w1_names.json`, `w2_names.json`): made for this machine's tree into
 * bench/build/ when missing or made for another interpreter, and read the way `modwalk.read_names_file`
 * reads them (every path is relative to the entries' common parent directory).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { BenchError } from "./bench-error.js";
import { runCommand } from "./processes.js";
import type { PythonTree } from "./python-tree.js";
import { anchorScript, buildDir } from "./repo-paths.js";

/** `[fullname, parent path or null]` as a lookup takes it (W1's third column, the kind, is kept apart). */
export type Lookup = readonly [name: string, parentPath: readonly string[] | null];

export interface W1Names {
  readonly entries: readonly string[];
  readonly lookups: readonly Lookup[];
  readonly kinds: readonly string[];
}

export interface W2Names {
  readonly entries: readonly string[];
  readonly top: readonly Lookup[];
  readonly sub: readonly Lookup[];
}

export const w1NamesFile = join(buildDir, "w1_names.json");
export const w2NamesFile = join(buildDir, "w2_names.json");
/** Which interpreter and tree the files in build/ were made for: they are remade when it changes. */
const stampFile = join(buildDir, "names.stamp.json");

/** Makes W1's and W2's name files for `tree` unless build/ already holds them for the same tree. */
export function ensureNameFiles(tree: PythonTree, log: (line: string) => void, regenerate = false): void {
  const stamp = JSON.stringify({ executable: tree.executable, version: tree.version, entries: tree.entries });
  const current = existsSync(stampFile) ? JSON.stringify(JSON.parse(readFileSync(stampFile, "utf8"))) : null;
  if (!regenerate && current === stamp && existsSync(w1NamesFile) && existsSync(w2NamesFile)) return;
  const w1 = anchorScript("w1_find_spec.py");
  const w2 = anchorScript("w2_negative.py");
  mkdirSync(buildDir, { recursive: true });
  log(`making the W1/W2 name lists of ${tree.stdlib} into ${buildDir} ...`);
  // The README's commands: W1's walk (one cold sweep, to fail early), then W2's negatives from it.
  runCommand([
    tree.python,
    "-I",
    "-S",
    w1,
    "--sweeps",
    "1",
    "--recold",
    "0",
    "--names-out",
    w1NamesFile,
    ...tree.entries,
  ]);
  runCommand([
    tree.python,
    "-I",
    "-S",
    w2,
    "--sweeps",
    "1",
    "--names-in",
    w1NamesFile,
    "--names-out",
    w2NamesFile,
    ...tree.entries,
  ]);
  writeFileSync(stampFile, stamp);
}

export function readW1Names(file: string, entries: readonly string[]): W1Names {
  const { data, toAbsolute } = openNamesFile(file, entries);
  const rows = data.names as [string, string[] | null, string][];
  return {
    entries,
    lookups: rows.map(([name, parent]) => [name, parent === null ? null : parent.map(toAbsolute)] as const),
    kinds: rows.map((row) => row[2]),
  };
}

export function readW2Names(file: string, entries: readonly string[]): W2Names {
  const { data, toAbsolute } = openNamesFile(file, entries);
  const lookups = (rows: [string, string[] | null][]): Lookup[] =>
    rows.map(([name, parent]) => [name, parent === null ? null : parent.map(toAbsolute)] as const);
  return {
    entries,
    top: lookups(data.top as [string, null][]),
    sub: lookups(data.sub as [string, string[]][]),
  };
}

function openNamesFile(
  file: string,
  entries: readonly string[],
): { data: Record<string, unknown>; toAbsolute: (path: string) => string } {
  const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const root = commonPath(entries);
  // Memoised like modwalk.map_paths: thousands of names share one parent directory string.
  const memo = new Map<string, string>();
  const toAbsolute = (path: string): string => {
    let absolute = memo.get(path);
    if (absolute === undefined) memo.set(path, (absolute = posix.join(root, path)));
    return absolute;
  };
  const stored = ((data.entries as string[] | undefined) ?? []).map(toAbsolute);
  const given = entries.map((e) => posix.normalize(e));
  if (JSON.stringify(stored) !== JSON.stringify(given)) {
    throw new BenchError(
      `${file}: made for the entries ${JSON.stringify(data.entries)} (relative), not ${given.join(" ")}`,
    );
  }
  return { data, toAbsolute };
}

/** `os.path.commonpath` of absolute POSIX paths. */
export function commonPath(paths: readonly string[]): string {
  const split = paths.map((p) => posix.normalize(p).split("/").filter(Boolean));
  const first = split[0] ?? [];
  let length = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < length && parts[i] === first[i]) i++;
    length = i;
  }
  return `/${first.slice(0, length).join("/")}`;
}
