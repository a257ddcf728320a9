/**
 * Run a small world of modules through an executor and describe everything it left behind strictly: the
 * error `run` raised (if any), `__main__`, and every module it added to `sys.modules`.
 */
import { createImportSystem } from "../../../../src/composition-root.js";
import { PyBaseException } from "../../../../src/core/errors.js";
import type { Executor } from "../../../../src/core/interfaces.js";
import { loadProfile } from "../../../../src/core/profile.js";
import type { BytecodeVersion } from "../../../../src/exec/bytecode/index.js";
import { stdlibDirFor } from "../../../../src/scenario/runner.js";
import { installStartSnapshot } from "../../../../src/scenario/start-snapshot.js";
import { ScenarioWorld } from "../../../../src/scenario/world.js";
import type { Strict } from "./strict-describe.js";
import { strictError, strictNamespace } from "./strict-describe.js";

export interface WorldCase {
  readonly name: string;
  /** Path relative to the world's root (which is `sys.path[0]`) → module source. */
  readonly files: Readonly<Record<string, string>>;
  /** Run in `__main__`, compiled as `<run>`. */
  readonly run: string;
}

export interface WorldOutcome {
  readonly error: Strict | null;
  readonly modules: Readonly<Record<string, Strict>>;
}

export function profileFor(version: BytecodeVersion): string {
  return version === "3.14" ? "cpython-3.14-pyodide" : `cpython-${version}`;
}

export async function runWorld(
  world: WorldCase,
  version: BytecodeVersion,
  executor: Executor,
): Promise<WorldOutcome> {
  const profile = loadProfile(profileFor(version));
  const files = await ScenarioWorld.create(world.files);
  const stdlibDir = stdlibDirFor(profile);
  const system = createImportSystem({ fs: files.fs, profile, stdlibDir, executor });
  const ctx = system.newContext();
  const main = await installStartSnapshot(system, stdlibDir, ctx);
  const start = new Set(system.modules.keys());
  system.sys.dontWriteBytecode = true;
  system.path.splice(0, system.path.length, files.pathEntry(""));
  let error: Strict | null = null;
  try {
    await executor.exec(executor.compile(world.run, "<run>"), main, ctx);
  } catch (raised) {
    if (!(raised instanceof PyBaseException)) throw raised;
    error = strictError(raised);
  }
  const modules: Record<string, Strict> = { __main__: strictNamespace(main.dict) };
  for (const [name, module] of system.modules) {
    if (!start.has(name)) modules[name] = module === null ? null : strictNamespace(module.dict);
  }
  return { error, modules };
}
