/**
 * A scenario run twice: once recording a snapshot of every module it loads, then again with that snapshot
 * importer first in the importer list. A faithful snapshot changes nothing but where modules say they
 * came from (origin, loader, has_location, cached) — `asFromPath` undoes exactly that for comparison.
 */
import { snapshot } from "../plugins/snapshot.js";
import type { FreezeResult } from "../snapshot/freeze.js";
import { snapshotRecording } from "../snapshot/freeze.js";
import type { Scenario } from "./format.js";
import type { ScenarioResult } from "./result.js";
import { isUnsupported } from "./result.js";
import type { RunScenarioOptions } from "./runner.js";
import { runScenario } from "./runner.js";
import { DEFAULT_SCENARIO_ROOT } from "./world.js";

/** The snapshot's name inside the scenario root (results show it relative: `scenario.snapshot`). */
export const SCENARIO_SNAPSHOT = "scenario.snapshot";

export interface FrozenScenarioRun {
  /** The recording run (a plain run: recording only watches). */
  readonly unfrozen: ScenarioResult;
  /** The run through the snapshot. */
  readonly frozen: ScenarioResult;
  readonly snapshot: FreezeResult;
  /** Modules the snapshot importer served in the frozen run, in order (a name may repeat). */
  readonly served: readonly string[];
  /** Modules it declined because their files or search path had changed, with why. */
  readonly declined: readonly { readonly name: string; readonly reason: string }[];
}

export async function runScenarioFrozen(
  scenario: Scenario,
  options: RunScenarioOptions & { readonly strict?: boolean } = {},
): Promise<FrozenScenarioRun> {
  const recording = snapshotRecording();
  const plugins = options.plugins ?? [];
  const unfrozen = await runScenario(scenario, { ...options, plugins: [...plugins, recording.plugin] });
  const made = recording.finish();
  const filename = `${options.root ?? DEFAULT_SCENARIO_ROOT}/${SCENARIO_SNAPSHOT}`;
  const served: string[] = [];
  const declined: { name: string; reason: string }[] = [];
  const frozen = await runScenario(scenario, {
    ...options,
    plugins: [...plugins, snapshot({ data: made.data, filename }, { strict: options.strict ?? false })],
    observer: {
      ...options.observer,
      attach(system, rewrite) {
        system.events.on((event) => {
          if (event.type !== "snapshot") return;
          if (event.action === "served") served.push(event.name);
          else declined.push({ name: event.name, reason: rewrite(event.reason ?? "") });
        });
        options.observer?.attach?.(system, rewrite);
      },
    },
  });
  return { unfrozen, frozen, snapshot: made, served, declined };
}

/** `result` with each snapshot-served module's where-from fields replaced by those `reference` reports. */
export function asFromPath(result: ScenarioResult, reference: ScenarioResult): ScenarioResult {
  if (isUnsupported(result) || isUnsupported(reference)) return result;
  const modules = Object.fromEntries(
    Object.entries(result.modules).map(([name, report]) => {
      const original = reference.modules[name];
      if (report.loader !== "SnapshotImporter" || original === undefined) return [name, report];
      const { origin, loader, has_location, cached } = original;
      return [name, { ...report, origin, loader, has_location, cached }];
    }),
  );
  return { ...result, modules };
}
