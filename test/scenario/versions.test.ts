/**
 * The same scenarios on other CPython versions: each profile's results must match what that real
 * interpreter answered (test/fixtures/scenarios/versions/<profile>/, made by the oracle with pyenv's
 * CPython 3.8.18, 3.9.18, 3.10.13, 3.12.1 and 3.13.0 — see the fixtures README). CI needs none of them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import { runScenario } from "../../src/scenario/runner.js";
import { intendedDivergence, unexpectedDifferences } from "./intended-divergences.js";

const FIXTURES = new URL("../fixtures/scenarios/", import.meta.url);

function scenarioFile(name: string): string {
  for (const set of ["public", "extra"]) {
    const url = new URL(`${set}/${name}.json`, FIXTURES);
    try {
      readFileSync(url);
      return url.pathname;
    } catch {}
  }
  throw new Error(`no scenario ${name}`);
}

for (const profile of readdirSync(new URL("versions/", FIXTURES)).sort()) {
  describe(`${profile} scenarios`, () => {
    const names = readdirSync(new URL(`versions/${profile}/`, FIXTURES))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length))
      .sort();
    for (const name of names) {
      it(name, async () => {
        const expected: unknown = JSON.parse(
          readFileSync(new URL(`versions/${profile}/${name}.json`, FIXTURES), "utf8"),
        );
        const result = await runScenario(await loadScenarioFile(scenarioFile(name)), { profile });
        const differences = diffResults(expected, result);
        const divergence = intendedDivergence(name, profile);
        if (divergence !== null) {
          expect(differences.length, divergence.why).toBeGreaterThan(0);
          expect(unexpectedDifferences(differences, divergence)).toEqual([]);
          return;
        }
        expect(
          differences,
          `${name} on ${profile} differs from CPython:\n${formatDifferences(differences)}`,
        ).toEqual([]);
      });
    }
  });
}
