/**
 * Differential test: importkit's resolver and CPython's `PathFinder.find_spec(name, parent_path)` give the
 * same spec (origin, loader class, submodule_search_locations, cached) for every W1 name of the local
 * python3's tree (its stdlib and site-packages), on the real disk. CPython's side is dumped by
 * dump_find_spec.py in a fresh `-I -S` process; the names come from the shared anchors' modwalk.py.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import type { VersionProfile } from "../../src/core/profile.js";
import { loadProfile } from "../../src/core/profile.js";
import { createResolver } from "../../src/resolve/create-resolver.js";
import { describeSpec, findSpecSync } from "../../src/resolve/resolver.js";

const here = dirname(fileURLToPath(import.meta.url));
const anchorsDir = resolve(here, "../../../shared/bench/anchors");
const python = process.env.PYTHON || "python3";

/** Why the test cannot run here, or null. Only a missing interpreter is a reason to skip. */
const pythonMissing = ((): string | null => {
  const probe = spawnSync(python, ["-I", "-S", "-c", "pass"], { encoding: "utf8" });
  if (probe.error) return `${python} is not available (${probe.error.message})`;
  return probe.status === 0 ? null : `${python} does not run (exit ${probe.status}): ${probe.stderr.trim()}`;
})();
if (pythonMissing !== null) console.warn(`skipping the W1 agreement test: ${pythonMissing}`);

type Row = [
  name: string,
  parentPath: string[] | null,
  origin: string | null,
  loader: string | null,
  locations: string[] | null,
  cached: string | null,
];

interface Dump {
  version: string;
  extension_suffixes: string[];
  entries: string[];
  specs: Row[];
}

function dumpCPython(): Dump {
  if (!existsSync(join(anchorsDir, "modwalk.py"))) {
    throw new Error(
      `the W1 walker is missing: expected ${anchorsDir}/modwalk.py (the shared folder beside the repo)`,
    );
  }
  const stdlib = run([
    python,
    "-I",
    "-S",
    "-c",
    "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
  ]).trim();
  const entries = [stdlib, `${stdlib}/site-packages`];
  return JSON.parse(
    run([python, "-I", "-S", join(here, "dump_find_spec.py"), anchorsDir, ...entries]),
  ) as Dump;
}

function run(argv: string[]): string {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${argv.join(" ")} failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** The bundled profile of the interpreter's minor version, with its own extension suffixes (they name the platform). */
function profileFor(dump: Dump): VersionProfile {
  const [major, minor] = dump.version.split(".");
  return { ...loadProfile(`cpython-${major}.${minor}`), extensionSuffixes: dump.extension_suffixes };
}

describe.skipIf(pythonMissing !== null)("resolve agrees with CPython's PathFinder.find_spec", () => {
  it("on every W1 name of the local python3's tree", () => {
    const dump = dumpCPython();
    expect(dump.specs.length).toBeGreaterThan(100);
    const { resolver } = createResolver({
      fs: new NodeFileSystem(),
      path: dump.entries,
      profile: profileFor(dump),
    });
    const differences: string[] = [];
    for (const [name, parentPath, ...cpython] of dump.specs) {
      const mine = describeSpec(name, findSpecSync(resolver, name, parentPath));
      const importkit = [mine.origin, mine.loader, mine.submodule_search_locations, mine.cached];
      const fields = ["origin", "loader", "submodule_search_locations", "cached"];
      fields.forEach((field, i) => {
        if (JSON.stringify(importkit[i]) !== JSON.stringify(cpython[i])) {
          differences.push(
            `${name}: ${field}: CPython ${JSON.stringify(cpython[i])}, importkit ${JSON.stringify(importkit[i])}`,
          );
        }
      });
    }
    const report =
      `${differences.length} differences over ${dump.specs.length} names (CPython ${dump.version}); first 20:\n` +
      differences.slice(0, 20).join("\n");
    expect(differences.length, report).toBe(0);
  });
});
