/**
 * An Executor for differential tests: `compile` hands out the code object a real CPython compiled from the
 * same source text (prepared in one batch), and `exec` runs it with the bytecode runner. Sources CPython
 * rejected are compiled by the source executor, so they raise its SyntaxError as before.
 */
import type { CompiledCode, Executor, ImportContext } from "../../../../src/core/interfaces.js";
import type { Module } from "../../../../src/core/module.js";
import type { BytecodeVersion } from "../../../../src/exec/bytecode/index.js";
import { CompiledBytecode, runCode } from "../../../../src/exec/bytecode/index.js";
import type { CompileOutcome, SourceToCompile } from "./python.js";
import { compileAll } from "./python.js";

export class PrecompiledExecutor implements Executor {
  /** Files CPython refused to compile, handed to the source executor instead. */
  readonly fallbacks: string[] = [];
  /** Code objects run by the bytecode runner. */
  ran = 0;

  constructor(
    readonly version: BytecodeVersion,
    private readonly outcomes: ReadonlyMap<string, CompileOutcome>,
    private readonly source: Executor,
  ) {}

  compile(source: string, filename: string): CompiledCode {
    const outcome = this.outcomes.get(source);
    if (outcome === undefined) throw new Error(`test setup: source of ${filename} was not precompiled`);
    if ("error" in outcome) {
      this.fallbacks.push(`${filename}: ${outcome.error}`);
      return this.source.compile(source, filename);
    }
    return new CompiledBytecode(outcome.code, this.version, filename);
  }

  exec(code: CompiledCode, module: Module, ctx: ImportContext): Promise<void> {
    if (code instanceof CompiledBytecode) {
      this.ran++;
      return runCode(code.code, module, ctx, code.version, { filename: code.filename });
    }
    return Promise.resolve(this.source.exec(code, module, ctx));
  }
}

/** Compile every distinct source once with `python`: source text → outcome. */
export function precompile(
  python: string,
  version: BytecodeVersion,
  sources: Iterable<SourceToCompile>,
): Map<string, CompileOutcome> {
  const unique = new Map<string, SourceToCompile>();
  for (const item of sources) if (!unique.has(item.source)) unique.set(item.source, item);
  const items = [...unique.values()];
  const outcomes = compileAll(python, version, items);
  return new Map(items.map((item, i) => [item.source, outcomes[i] as CompileOutcome]));
}
