/**
 * The differential test: every scenario in test/fixtures/scenarios/{public,extra} runs through importkit and
 * must give CPython's result (its `expected/NAME.json`, made by the real oracle) field by field.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import { runScenario } from "../../src/scenario/runner.js";
import {
  expectedResult,
  SCENARIO_FIXTURES,
  scenarioNames,
  scenarioPath,
} from "../support/scenario-fixtures.js";
import { intendedDivergence, unexpectedDifferences } from "./intended-divergences.js";

for (const set of ["public", "extra"]) {
  describe(`${set} scenarios`, () => {
    const names = scenarioNames(set);

    it("each has an expected result from the oracle", () => {
      const expected = readdirSync(new URL(`${set}/expected/`, SCENARIO_FIXTURES)).map((f) =>
        f.replace(/\.json$/, ""),
      );
      expect(expected.sort()).toEqual(names);
    });

    for (const name of names) {
      it(name, async () => {
        const scenario = await loadScenarioFile(scenarioPath(set, name));
        expect(scenario.name).toBe(name);
        const result = await runScenario(scenario);
        const differences = diffResults(expectedResult(set, name), result);
        const divergence = intendedDivergence(name, "cpython-3.11");
        if (divergence !== null) {
          // importkit differs on purpose here: it must, and only where said.
          expect(differences.length, divergence.why).toBeGreaterThan(0);
          expect(unexpectedDifferences(differences, divergence)).toEqual([]);
          return;
        }
        expect(differences, `${name} differs from CPython:\n${formatDifferences(differences)}`).toEqual([]);
      });
    }
  });
}
