/**
 * Snapshots change nothing but where a module says it came from. Every scenario (public and extra) runs on
 * its final world (files after every write/remove, those steps dropped) twice: recording a snapshot of
 * what it loads, then through that snapshot. The results must be identical except the origin, loader,
 * has_location and cached of each snapshot-served module — which must say "the snapshot". Scenarios
 * that change no files run as they are, so there the frozen result must also be CPython's (the oracle's).
 */
import { describe, expect, it } from "vitest";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { changesFiles, finalWorld } from "../../src/scenario/final-world.js";
import { asFromPath, runScenarioFrozen, SCENARIO_SNAPSHOT } from "../../src/scenario/frozen-run.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import { isUnsupported } from "../../src/scenario/result.js";
import { expectedResult, scenarioNames, scenarioPath } from "../support/scenario-fixtures.js";
import { intendedDivergence } from "./intended-divergences.js";

let servedTotal = 0;

for (const set of ["public", "extra"]) {
  describe(`${set} scenarios, final world, frozen vs unfrozen`, () => {
    for (const name of scenarioNames(set)) {
      it(name, async () => {
        const original = await loadScenarioFile(scenarioPath(set, name));
        const scenario = finalWorld(original);
        const run = await runScenarioFrozen(scenario);
        const { frozen, unfrozen } = run;
        expect(isUnsupported(unfrozen), JSON.stringify(unfrozen)).toBe(false);
        expect(isUnsupported(frozen), JSON.stringify(frozen)).toBe(false);
        if (isUnsupported(frozen) || isUnsupported(unfrozen)) return;
        // Served modules say so, and nothing else differs.
        const servedNames = new Set(run.served);
        for (const [module, report] of Object.entries(frozen.modules)) {
          if (report.loader !== "SnapshotImporter") continue;
          expect(servedNames.has(module)).toBe(true);
          expect({ origin: report.origin, has_location: report.has_location, cached: report.cached }).toEqual(
            {
              origin: SCENARIO_SNAPSHOT,
              has_location: false,
              cached: null,
            },
          );
        }
        const differences = diffResults(unfrozen, asFromPath(frozen, unfrozen));
        expect(differences, `${name}:\n${formatDifferences(differences)}`).toEqual([]);
        // Declined only where the search path differs (a `path` step): nothing is stale in a fixed world
        // (a __pycache__ written by the recording run moves its directory's mtime, but adds no module name).
        for (const { reason } of run.declined) expect(reason).toMatch(/^the search path differs/);
        servedTotal += run.served.length;
        if (!changesFiles(original) && intendedDivergence(name, "cpython-3.11") === null) {
          const expected = expectedResult(set, name);
          const vsCPython = diffResults(expected, asFromPath(frozen, unfrozen));
          expect(vsCPython, `${name} vs CPython:\n${formatDifferences(vsCPython)}`).toEqual([]);
        }
      });
    }
  });
}

describe("the frozen runs", () => {
  it("served modules from snapshots (the comparison above is not vacuous)", () => {
    expect(servedTotal).toBeGreaterThan(100);
  });
});
