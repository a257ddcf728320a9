/** The two kinds of process a workload alternates: CPython's anchor script and importkit's replay. */
import type { PythonTree } from "./python-tree.js";
import { anchorScript, benchScript } from "./repo-paths.js";

/** A shared anchor script (`../shared/bench/anchors/NAME`) run by the tree's CPython, isolated as the anchors were. */
export function anchorCommand(tree: PythonTree, script: string, args: readonly string[]): string[] {
  return [tree.python, "-I", "-S", anchorScript(script), ...args];
}

/** An importkit replay script (`bench/NAME`) under tsx, with the profile of the tree's CPython. */
export function replayCommand(tree: PythonTree, script: string, args: readonly string[]): string[] {
  return [process.execPath, "--import", "tsx", benchScript(script), "--profile", tree.profile, ...args];
}
