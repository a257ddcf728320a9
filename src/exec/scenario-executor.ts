/** importkit's default Executor: runs the scenario-Python subset (see FORMAT.md "Scenario Python"). */
import { NotSupportedError } from "../core/errors.js";
import type { CompiledCode, Executor, ImportContext } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import { scenarioCodeFormat } from "./code-format.js";
import { compileScenario, ScenarioCode } from "./compile.js";
import { Frame } from "./frame.js";
import { execBlock } from "./interpreter.js";

export class ScenarioExecutor implements Executor {
  /** Compiled code as bytes for snapshots: the "importkit-ast" format. */
  readonly codeFormat = scenarioCodeFormat;

  /** Parse and check `source` once; throws SyntaxError_ or NotSupportedError. */
  compile(source: string, filename: string): ScenarioCode {
    return compileScenario(source, filename);
  }

  /** Run `code` with `module.dict` as globals (and locals), importing through `ctx.system`. */
  async exec(code: CompiledCode, module: Module, ctx: ImportContext): Promise<void> {
    if (!(code instanceof ScenarioCode)) {
      throw new NotSupportedError(
        `the scenario executor cannot run code compiled by another executor (${code.filename})`,
      );
    }
    await execBlock(new Frame(module, ctx, code.filename, module.dict, ""), code.body);
  }
}
