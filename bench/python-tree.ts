/**
 * The interpreter the bench compares against and the tree it walks: `python3` (or --python / $PYTHON),
 * its standard library `$L`, and the W1 entries `[$L, $L/site-packages]`, exactly as the anchors' README sets them.
 */
import { profileNames } from "../src/core/profile.js";
import { BenchError } from "./bench-error.js";
import { runJson } from "./processes.js";

export interface PythonTree {
  /** The command that runs it, as given (the anchors are run with it, under `-I -S`). */
  readonly python: string;
  readonly version: string;
  readonly executable: string;
  /** `$L` */
  readonly stdlib: string;
  /** `[$L, $L/site-packages]`: `sys.path` for W1 and W2, and what name files are made for. */
  readonly entries: readonly string[];
  /** The bundled importkit profile of the same minor version ("cpython-3.11"). */
  readonly profile: string;
}

const DESCRIBE = [
  "import json, sys, sysconfig",
  "print(json.dumps({'version': sys.version.split()[0], 'executable': sys.executable,",
  "  'stdlib': sysconfig.get_paths()['stdlib']}))",
].join("\n");

export function pythonTree(python: string): PythonTree {
  let facts: { version: string; executable: string; stdlib: string };
  try {
    facts = runJson([python, "-I", "-S", "-c", DESCRIBE]);
  } catch (error) {
    throw new BenchError(`cannot ask ${python} for its standard library: ${(error as Error).message}`);
  }
  const [major, minor] = facts.version.split(".");
  const profile = `cpython-${major}.${minor}`;
  if (!profileNames().includes(profile)) {
    throw new BenchError(
      `importkit has no profile ${profile} for ${python} (${facts.version}); pass --python`,
    );
  }
  return { python, ...facts, entries: [facts.stdlib, `${facts.stdlib}/site-packages`], profile };
}
