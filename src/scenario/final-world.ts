/**
 * A scenario's final world: its files after every `write` and `remove` step, with those steps dropped and
 * the others kept. It asks the same imports of a world that no longer changes under them — what a snapshot
 * of that world is compared on (docs/snapshots.md).
 */
import type { FileContent, Scenario } from "./format.js";

export function finalWorld(scenario: Scenario): Scenario {
  const files = new Map<string, FileContent>(Object.entries(scenario.files));
  for (const step of scenario.steps) {
    if ("write" in step) for (const [path, content] of Object.entries(step.write)) files.set(path, content);
    if ("remove" in step) {
      for (const removed of step.remove) {
        const prefix = `${removed.replace(/\/+$/, "")}/`;
        for (const path of [...files.keys()])
          if (path === removed || path.startsWith(prefix)) files.delete(path);
      }
    }
  }
  return {
    ...scenario,
    files: Object.fromEntries(files),
    steps: scenario.steps.filter((step) => !("write" in step) && !("remove" in step)),
  };
}

/** Whether the scenario changes its files as it runs (then its final world differs from its start). */
export function changesFiles(scenario: Scenario): boolean {
  return scenario.steps.some((step) => "write" in step || "remove" in step);
}
