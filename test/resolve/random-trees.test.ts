/**
 * Property test against real CPython: random module trees (packages, namespace directories, modules of
 * every file kind, shadowing, odd names) are written to disk, then every name they could hold — and some
 * they cannot — is resolved by importkit and by CPython's PathFinder. The answers must agree exactly.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import { createResolver } from "../../src/resolve/create-resolver.js";
import { describeSpec } from "../../src/resolve/resolver.js";

const python = process.env.PYTHON || "python3";
const script = fileURLToPath(new URL("resolve_names.py", import.meta.url));
const pythonMissing = spawnSync(python, ["-I", "-S", "-c", "pass"]).status !== 0;

/** A directory: entry name → a file (its content) or a subdirectory. */
interface Tree {
  [name: string]: string | Tree;
}

const stems = ["a", "b", "pk", "ns", "__init__"];
const suffixes = [".py", ".pyc", ".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so", ".txt", ""];

const file = fc.tuple(fc.constantFrom(...stems), fc.constantFrom(...suffixes)).map(([stem, suffix]) => ({
  name: stem + suffix,
  node: "" as string | Tree,
}));

const tree: fc.Memo<Tree> = fc.memo((depth) =>
  fc
    .array(
      depth <= 1
        ? file
        : fc.oneof(
            { weight: 3, arbitrary: file },
            {
              weight: 2,
              arbitrary: fc
                .tuple(fc.constantFrom("a", "b", "pk", "ns", "a.py"), tree(depth - 1))
                .map(([name, node]) => ({ name, node })),
            },
          ),
      { maxLength: 6 },
    )
    .map((entries) => Object.fromEntries(entries.map((e) => [e.name, e.node]))),
);

function write(dir: string, t: Tree): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, node] of Object.entries(t)) {
    if (typeof node === "string") writeFileSync(join(dir, name), node);
    else write(join(dir, name), node);
  }
}

/** Every dotted name of depth ≤ 3 over the stems, plus one that never exists. */
function candidateNames(): string[] {
  const top = ["a", "b", "pk", "ns", "missing"];
  const names: string[] = [];
  for (const x of top) {
    names.push(x);
    for (const y of top) {
      names.push(`${x}.${y}`);
      for (const z of ["a", "ns"]) names.push(`${x}.${y}.${z}`);
    }
  }
  return names;
}

function cpythonAnswers(entries: string[], names: string[]): Record<string, unknown> {
  const run = spawnSync(python, ["-I", "-S", script], {
    input: JSON.stringify({ entries, names }),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`resolve_names.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe.skipIf(pythonMissing)("resolve agrees with CPython's PathFinder on random trees", () => {
  it("gives the same origin, loader, search locations and cache path for every name", async () => {
    const names = candidateNames();
    await fc.assert(
      fc.asyncProperty(tree(3), tree(2), async (first, second) => {
        const root = mkdtempSync(join(tmpdir(), "importkit-trees-"));
        try {
          const entries = [join(root, "one"), join(root, "two"), join(root, "missing-entry")];
          write(entries[0]!, first);
          write(entries[1]!, second);
          const expected = cpythonAnswers(entries, names);
          const { resolver } = createResolver({ fs: new NodeFileSystem(), path: entries });
          for (const name of names) {
            const r = describeSpec(name, await resolver.resolveSpec(name));
            const ours =
              r.origin === null && r.loader === null && r.submodule_search_locations === null
                ? null
                : [r.origin, r.loader, r.submodule_search_locations, r.cached];
            expect(ours, `${name} in ${JSON.stringify({ one: first, two: second })}`).toEqual(expected[name]);
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 40, seed: 20261121 },
    );
  });
});
