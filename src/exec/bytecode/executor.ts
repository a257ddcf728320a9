/**
 * The bytecode runner behind the two shapes a loader may want: `CodeRunner.run` for a decoded code object,
 * and `BytecodeExecutor`, an Executor whose CompiledCode is a code object (it compiles no source).
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import { NotSupportedError } from "../../core/errors.js";
import type { CompiledCode, Executor, ImportContext } from "../../core/interfaces.js";
import type { Module } from "../../core/module.js";
import type { RunOptions } from "./runner.js";
import { runCode } from "./runner.js";
import type { BytecodeVersion } from "./versions.js";

export class CodeRunner {
  /** Run a module's code object (from a pyc of CPython `version`) in `module`'s namespace. */
  run(
    code: CodeObject,
    module: Module,
    ctx: ImportContext,
    version: BytecodeVersion,
    options: RunOptions = {},
  ): Promise<void> {
    return runCode(code, module, ctx, version, options);
  }
}

/** A code object as an Executor's CompiledCode. */
export class CompiledBytecode implements CompiledCode {
  constructor(
    readonly code: CodeObject,
    readonly version: BytecodeVersion,
    /** The file refusals name (the pyc's path, or the source path it stands for). */
    readonly filename: string = code.filename,
  ) {}
}

export class BytecodeExecutor implements Executor {
  compile(_source: string, filename: string): never {
    throw new NotSupportedError(
      `the bytecode executor runs code objects; it does not compile source (${filename})`,
    );
  }

  exec(code: CompiledCode, module: Module, ctx: ImportContext): Promise<void> {
    if (!(code instanceof CompiledBytecode)) {
      throw new NotSupportedError(
        `the bytecode executor cannot run code compiled by another executor (${code.filename})`,
      );
    }
    return runCode(code.code, module, ctx, code.version, { filename: code.filename });
  }
}
