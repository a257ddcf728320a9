/** One running code block: a module body (locals are the globals) or a class body (its own namespace). */
import type { PyBaseException } from "../core/errors.js";
import type { ImportContext, ImportTask } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { PyValue } from "../core/values.js";

export class Frame {
  constructor(
    readonly module: Module,
    readonly ctx: ImportContext,
    readonly filename: string,
    readonly locals: Map<string, PyValue>,
    /** Prefix of qualnames defined here: "" at module level, "Outer." in class Outer's body. */
    readonly qualnamePrefix: string,
  ) {}

  get globals(): Map<string, PyValue> {
    return this.module.dict;
  }

  /** The exceptions being handled, innermost last (CPython's per-thread exc_info stack). */
  get handled(): PyBaseException[] {
    return handledExceptions(this.ctx.task);
  }

  /** `file:line`, for NotSupported messages. */
  location(line: number): string {
    return `${this.filename}:${line}`;
  }

  /** The frame of a class body nested in this one. */
  classBody(namespace: Map<string, PyValue>, qualname: string): Frame {
    return new Frame(this.module, this.ctx, this.filename, namespace, `${qualname}.`);
  }
}

/**
 * Keyed by import task (CPython's thread), so a module imported inside an `except` block sees the
 * importer's handled exception, as `sys.exc_info()` does across frames.
 */
const handledByTask = new WeakMap<ImportTask, PyBaseException[]>();

function handledExceptions(task: ImportTask): PyBaseException[] {
  let stack = handledByTask.get(task);
  if (stack === undefined) handledByTask.set(task, (stack = []));
  return stack;
}
