/** `except X:` matching (CPython's `check_except_type_valid` + `PyErr_GivenExceptionMatches`). */
import { PyBaseException, TypeError_ } from "../../core/errors.js";
import type { PyValue } from "../../core/values.js";
import { PyTuple } from "../../core/values.js";
import { PyExceptionClass } from "../exception-types.js";
import { Refusal } from "./refusal.js";
import { ExceptionTypeEntry } from "./runtime-values.js";

const CANNOT_CATCH = "catching classes that do not inherit from BaseException is not allowed";

/** Whether `error` matches `classes` (a class or a flat tuple of classes); raises TypeError for non-classes. */
export function exceptionMatches(error: PyBaseException, classes: PyValue): boolean {
  const candidates = classes instanceof PyTuple ? classes.items : [classes];
  const checked = candidates.map((candidate) => {
    if (!(candidate instanceof PyExceptionClass)) throw new TypeError_(CANNOT_CATCH);
    return candidate;
  });
  return checked.some((cls) => error instanceof cls.errorType);
}

/** The exception a stack entry stands for: the exception itself (3.11+) or the type entry (3.8–3.10). */
export function caughtException(entry: PyValue): PyBaseException {
  if (entry instanceof ExceptionTypeEntry) return entry.error;
  if (entry instanceof PyBaseException) return entry;
  throw new Refusal("exception match against a value that is no caught exception");
}
