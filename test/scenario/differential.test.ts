/**
 * The differential test: every scenario in test/fixtures/scenarios/{public,extra} runs through importkit and
 * must give CPython's result (its `expected/NAME.json`, made by the real oracle) field by field.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import { runScenario } from "../../src/scenario/runner.js";
import { intendedDivergence, unexpectedDifferences } from "./intended-divergences.js";

const FIXTURES = new URL("../fixtures/scenarios/", import.meta.url);

function scenarioNames(set: string): string[] {
  return readdirSync(new URL(`${set}/`, FIXTURES))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

function expectedResult(set: string, name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${set}/expected/${name}.json`, FIXTURES), "utf8"));
}

for (const set of ["public", "extra"]) {
  describe(`${set} scenarios`, () => {
    const names = scenarioNames(set);

    it("each has an expected result from the oracle", () => {
      const expected = readdirSync(new URL(`${set}/expected/`, FIXTURES)).map((f) =>
        f.replace(/\.json$/, ""),
      );
      expect(expected.sort()).toEqual(names);
    });

    for (const name of names) {
      it(name, async () => {
        const scenario = await loadScenarioFile(new URL(`${set}/${name}.json`, FIXTURES).pathname);
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
