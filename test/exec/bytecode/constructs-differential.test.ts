/**
 * The bytecode runner against the source executor on every construct of scenario Python: each world is
 * compiled by every CPython 3.8–3.13 found on this machine (CI has python3 = 3.11), run through the bytecode
 * runner, and must leave exactly what the source executor leaves (strictly described: ints and floats apart,
 * class attributes, exception args) and raise the same error.
 */
import { describe, expect, it } from "vitest";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import { ScenarioExecutor } from "../../../src/exec/scenario-executor.js";
import { constructWorlds } from "./fixtures/constructs.js";
import { PrecompiledExecutor, precompile } from "./support/precompiled-executor.js";
import { findPython } from "./support/python.js";
import { runWorld } from "./support/run-world.js";

const versions: readonly BytecodeVersion[] = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

function sourcesOf(worlds: typeof constructWorlds): { source: string; filename: string }[] {
  return worlds.flatMap((world) => [
    ...Object.entries(world.files).map(([path, source]) => ({ source, filename: `/world/${path}` })),
    { source: world.run, filename: "<run>" },
  ]);
}

for (const version of versions) {
  const python = findPython(version);
  describe.skipIf(python === null)(`bytecode of CPython ${version} against the source executor`, () => {
    const executor = (): PrecompiledExecutor => {
      const source = new ScenarioExecutor();
      return new PrecompiledExecutor(
        version,
        precompile(python as string, version, sourcesOf(constructWorlds)),
        source,
      );
    };
    let bytecode: PrecompiledExecutor | undefined;
    for (const world of constructWorlds) {
      it(world.name, async () => {
        bytecode ??= executor();
        const expected = await runWorld(world, version, new ScenarioExecutor());
        const actual = await runWorld(world, version, bytecode);
        expect(actual).toEqual(expected);
        expect(bytecode.fallbacks).toEqual([]);
      });
    }
  });
}
