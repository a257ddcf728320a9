/**
 * Every public scenario (shared/scenarios/public), run twice per CPython found here: by the source executor,
 * and with every module body and `run` step compiled by that CPython and run by the bytecode runner. The
 * scenario results (steps, errors, namespaces, modules) must be identical.
 *
 * runScenario builds its own import system with the default executor, so the bytecode run swaps the
 * ScenarioExecutor prototype's methods for the duration of the run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CompiledCode, ImportContext } from "../../../src/core/interfaces.js";
import type { Module } from "../../../src/core/module.js";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import type { ScenarioCode } from "../../../src/exec/compile.js";
import { ScenarioExecutor } from "../../../src/exec/scenario-executor.js";
import type { Scenario } from "../../../src/scenario/index.js";
import { parseScenario, runScenario } from "../../../src/scenario/index.js";
import { PrecompiledExecutor, precompile } from "./support/precompiled-executor.js";
import { findPython } from "./support/python.js";
import { profileFor } from "./support/run-world.js";
import { scenarioSources } from "./support/scenario-sources.js";

const publicDir = new URL("../../../../shared/scenarios/public/", import.meta.url);
const scenarios: Scenario[] = readdirSync(publicDir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => parseScenario(JSON.parse(readFileSync(new URL(name, publicDir), "utf8")), name));

const versions: readonly BytecodeVersion[] = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

/** Make every ScenarioExecutor compile and run through `executor` until the spies are restored. */
function routeScenarioExecutor(executor: PrecompiledExecutor): void {
  // The compiled code only ever goes back to `exec` below, which knows it; the cast only satisfies the spy.
  vi.spyOn(ScenarioExecutor.prototype, "compile").mockImplementation(
    (source: string, filename: string) => executor.compile(source, filename) as ScenarioCode,
  );
  vi.spyOn(ScenarioExecutor.prototype, "exec").mockImplementation(
    (code: CompiledCode, module: Module, ctx: ImportContext) => executor.exec(code, module, ctx),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

for (const version of versions) {
  const python = findPython(version);
  describe.skipIf(python === null)(`public scenarios, bytecode of CPython ${version}`, () => {
    let outcomes: ReturnType<typeof precompile> | undefined;
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        outcomes ??= precompile(python as string, version, scenarios.flatMap(scenarioSources));
        const profile = profileFor(version);
        const expected = await runScenario(scenario, { profile });
        // The source executor keeps the modules CPython cannot compile (a scenario's SyntaxError) for itself.
        const bytecode = new PrecompiledExecutor(version, outcomes, new ScenarioExecutor());
        routeScenarioExecutor(bytecode);
        const actual = await runScenario(scenario, { profile });
        vi.restoreAllMocks();
        expect(actual).toEqual(expected);
        // Scenarios importkit cannot run yet (zip archives, pyc files) are refused before any code runs.
        if (!("unsupported" in expected)) expect(bytecode.ran).toBeGreaterThan(0);
      });
    }
  });
}
