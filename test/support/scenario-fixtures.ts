/** The scenario fixtures (test/fixtures/scenarios/SET/NAME.json, with the oracle's expected/NAME.json). */
import { readdirSync, readFileSync } from "node:fs";

export const SCENARIO_FIXTURES = new URL("../fixtures/scenarios/", import.meta.url);

/** The scenario names of one set ("public", "extra", …), sorted. */
export function scenarioNames(set: string): string[] {
  return readdirSync(new URL(`${set}/`, SCENARIO_FIXTURES))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

export function scenarioPath(set: string, name: string): string {
  return new URL(`${set}/${name}.json`, SCENARIO_FIXTURES).pathname;
}

/** What CPython answered for it (the oracle's result). */
export function expectedResult(set: string, name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${set}/expected/${name}.json`, SCENARIO_FIXTURES), "utf8"));
}
