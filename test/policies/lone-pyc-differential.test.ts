/**
 * The lone-.pyc policy, judged by CPython: the same worlds with and without the policy. Without it importkit
 * matches CPython exactly; with it, the result is what CPython answers for the same world *without its lone
 * .pyc files* (test/fixtures/scenarios/lone-pyc/: the transformed scenarios, made by
 * authoring/lone_pyc.py, and CPython 3.11.7's answers for them); worlds without a lone .pyc do not change.
 */
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ignoreLonePyc } from "../../src/policies/index.js";
import {
  diffResults,
  formatDifferences,
  type ResultDifference,
  sameJson,
} from "../../src/scenario/compare.js";
import type { FileMap, Scenario } from "../../src/scenario/format.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import type { ScenarioResult, StepResult } from "../../src/scenario/result.js";
import { runScenario } from "../../src/scenario/runner.js";

const FIXTURES = new URL("../fixtures/scenarios/", import.meta.url);
const SETS = ["public", "extra"] as const;

interface ManifestEntry {
  /** The set the original scenario is in. */
  readonly from: (typeof SETS)[number];
  /** The lone pycs the transformed scenario lacks (`dir/mod.pyc`, `lib.zip/mod.pyc`). */
  readonly removed: readonly string[];
  /** The modules they were. */
  readonly modules: readonly string[];
}

const manifest = JSON.parse(readFileSync(new URL("lone-pyc/manifest.json", FIXTURES), "utf8")) as Readonly<
  Record<string, ManifestEntry>
>;

const json = (url: URL): unknown => JSON.parse(readFileSync(url, "utf8"));

function scenarioNames(set: string): string[] {
  return readdirSync(new URL(`${set}/`, FIXTURES))
    .filter((f) => f.endsWith(".json") && f !== "manifest.json")
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * The lone pycs of a scenario, found here independently of the generator: a `STEM.pyc` (STEM without a dot:
 * a `__pycache__` cache can never be a module's file) with no `STEM.py` beside it, as a file of the world or
 * a member of a zip archive it describes, initially or written by a step.
 */
function lonePycs(scenario: Scenario): string[] {
  const lone: string[] = [];
  const present = new Set<string>();
  const isLone = (name: string, names: ReadonlySet<string>) => {
    if (!name.endsWith(".pyc")) return false;
    const stem = name.slice(name.lastIndexOf("/") + 1, -".pyc".length);
    return stem !== "" && !stem.includes(".") && !names.has(name.slice(0, -1));
  };
  const visit = (files: FileMap) => {
    for (const path of Object.keys(files)) present.add(path);
    for (const [path, content] of Object.entries(files)) {
      if (typeof content === "object" && "zip" in content) {
        const members = new Set(Object.keys(content.zip).map((m) => m.replace(/\/$/, "")));
        for (const member of members) if (isLone(member, members)) lone.push(`${path}/${member}`);
      } else if (isLone(path, present)) {
        lone.push(path);
      }
    }
  };
  visit(scenario.files);
  for (const step of scenario.steps) if ("write" in step) visit(step.write);
  return lone;
}

async function load(set: string, name: string): Promise<Scenario> {
  return loadScenarioFile(new URL(`${set}/${name}.json`, FIXTURES).pathname);
}

function expectSame(expected: unknown, actual: ScenarioResult, what: string): void {
  const differences = diffResults(expected, actual);
  expect(differences, `${what}:\n${formatDifferences(differences)}`).toEqual([]);
}

const loneNames = Object.keys(manifest).sort();

describe("the lone-pyc fixtures", () => {
  it("cover exactly the scenarios whose worlds hold a lone .pyc", async () => {
    const found: Record<string, string[]> = {};
    for (const set of SETS) {
      for (const name of scenarioNames(set)) {
        const lone = lonePycs(await load(set, name));
        if (lone.length > 0) found[name] = lone;
      }
    }
    expect(Object.keys(found).sort()).toEqual(loneNames);
    for (const name of loneNames)
      expect([...found[name]!].sort(), name).toEqual([...manifest[name]!.removed].sort());
    // The figure the report gives: six scenarios, four public and two extra.
    expect(loneNames).toHaveLength(6);
  });

  it("each has CPython's answer for the transformed world, and no lone .pyc is left in it", async () => {
    expect(scenarioNames("lone-pyc")).toEqual(loneNames);
    expect(scenarioNames("lone-pyc/expected")).toEqual(loneNames);
    for (const name of loneNames) expect(lonePycs(await load("lone-pyc", name)), name).toEqual([]);
  });
});

describe.each(loneNames)("%s (lone pycs)", (name) => {
  const entry = manifest[name]!;
  let original: Scenario;
  let without: ScenarioResult;
  let withPolicy: ScenarioResult;

  beforeAll(async () => {
    original = await load(entry.from, name);
    without = await runScenario(original);
    withPolicy = await runScenario(original, { plugins: [ignoreLonePyc()] });
  });

  it("without the policy: CPython's answer for the original world", () => {
    expectSame(json(new URL(`${entry.from}/expected/${name}.json`, FIXTURES)), without, name);
  });

  it("with the policy: CPython's answer for the world without its lone pycs", () => {
    expectSame(json(new URL(`lone-pyc/expected/${name}.json`, FIXTURES)), withPolicy, name);
  });

  it("the transformed world, without the policy, also gives CPython's answer", async () => {
    const transformed = await runScenario(await load("lone-pyc", name));
    expectSame(json(new URL(`lone-pyc/expected/${name}.json`, FIXTURES)), transformed, name);
  });

  it("only the lone-pyc modules (and the steps importing them) change, each of them does", () => {
    const differences = diffResults(without, withPolicy);
    expect(differences.length).toBeGreaterThan(0);
    const lone = new Set(entry.modules);
    const mentions = (text: string, module: string) =>
      new RegExp(`(^|[^\\w.])${module.replace(/\./g, "\\.")}($|[^\\w])`).test(text);
    const changed = new Set<string>();
    const steps = "steps" in withPolicy ? withPolicy.steps : [];
    for (const difference of differences) {
      const module = /^modules\[([^\]]*)\]/.exec(difference.where)?.[1];
      if (module !== undefined) {
        expect(lone, `${difference.where} differs`).toContain(module);
        changed.add(module);
        continue;
      }
      const index = Number(/^step (\d+) /.exec(difference.where)?.[1] ?? Number.NaN);
      // A name bound in `__main__` by an earlier step keeps differing in the steps after it.
      const carried = /^step \d+ (namespace\..*)$/.exec(difference.where)?.[1];
      if (carried !== undefined && index > 0) {
        const before = differences.find((d) => d.where === `step ${index - 1} ${carried}`);
        if (
          before !== undefined &&
          sameJson(before.expected, difference.expected) &&
          sameJson(before.actual, difference.actual)
        )
          continue;
      }
      const step = original.steps[index];
      expect(step !== undefined && "run" in step, `${difference.where} differs`).toBe(true);
      const source = (step as { run: string }).run;
      const imported = entry.modules.filter((m) => mentions(source, m));
      expect(imported, `${difference.where} differs, but its step imports no lone-pyc module`).not.toEqual(
        [],
      );
      for (const m of imported) changed.add(m);
      // Where the step now fails, it is because a lone-pyc module is not found.
      const error = (steps[index] as StepResult).error;
      if (error !== null) {
        expect(error.type).toBe("ModuleNotFoundError");
        expect(lone).toContain(error.name);
      }
    }
    expect([...changed].sort()).toEqual([...entry.modules].sort());
  });
});

describe("worlds without a lone .pyc are unchanged by the policy", () => {
  for (const set of SETS) {
    const names = scenarioNames(set).filter((name) => !(name in manifest));
    it.each(names)(`${set}/%s`, async (name) => {
      const scenario = await load(set, name);
      const without = await runScenario(scenario);
      const withPolicy = await runScenario(scenario, { plugins: [ignoreLonePyc()] });
      const differences: ResultDifference[] = diffResults(without, withPolicy);
      expect(differences, formatDifferences(differences)).toEqual([]);
      expect("unsupported" in withPolicy).toBe(false);
    });
  }
});
