/**
 * What the value stack holds besides scenario values. Each is a PyObject, so the stack is a plain PyValue[];
 * none of them can reach a module namespace through the supported instructions.
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import type { PyBaseException } from "../../core/errors.js";
import type { PyObject, PyValue } from "../../core/values.js";
import { PyFunction, PyOpaque } from "../../core/values.js";

/** CPython's NULL on the stack: PUSH_NULL, "no self" of a method load, 3.8's BEGIN_FINALLY. */
export const NULL = new PyOpaque("NULL", "<NULL>");

/** A code object LOAD_CONST pushed, for MAKE_FUNCTION. */
export class CodeValue implements PyObject {
  readonly pyType = "code";
  constructor(readonly code: CodeObject) {}
}

/** A function MAKE_FUNCTION made; it keeps its code so that `__build_class__` can run a class body. */
export class BytecodeFunction extends PyFunction {
  constructor(
    name: string,
    qualname: string,
    module: string,
    readonly code: CodeObject,
  ) {
    super(name, qualname, module);
  }
}

/** `builtins.__build_class__`, which LOAD_BUILD_CLASS pushes. */
export class BuildClassFunction implements PyObject {
  readonly pyType = "builtin_function_or_method";
}

export const BUILD_CLASS = new BuildClassFunction();

/**
 * 3.8–3.10 push a caught exception as a (traceback, value, type) triple; this is the type entry, which
 * exception matching and END_FINALLY / RERAISE read. Tracebacks are not modelled (None).
 */
export class ExceptionTypeEntry implements PyObject {
  readonly pyType = "type";
  constructor(readonly error: PyBaseException) {}
}

/** A cell (MAKE_CELL): 3.14 gives every class body with methods a `__classdict__` cell. */
export class Cell implements PyObject {
  readonly pyType = "cell";
  value: PyValue | undefined = undefined;
}

/** What LOAD_LOCALS pushes: the running class body's namespace (a dict in CPython). */
export class LocalsMapping implements PyObject {
  readonly pyType = "dict";
  constructor(readonly namespace: Map<string, PyValue>) {}
}
