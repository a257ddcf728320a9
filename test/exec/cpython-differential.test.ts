/**
 * The executor's semantics end to end, against CPython's answer: fixtures/exec_differential.json was run by
 * the oracle (`python3 shared/oracle/cpython_oracle.py fixtures/exec_differential.json`) to produce
 * fixtures/exec_differential.expected.json.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { runScenario } from "../../src/scenario/runner.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), "utf8"));

describe("scenario executor against CPython", () => {
  it("matches the oracle on literals, classes, exceptions and import forms", async () => {
    const scenario = parseScenario(fixture("exec_differential.json"), "exec_differential.json");
    const result = await runScenario(scenario);
    const differences = diffResults(fixture("exec_differential.expected.json"), result);
    expect(differences, formatDifferences(differences)).toEqual([]);
  });
});
