/**
 * What a call does in the subset: a built-in exception class makes an exception (`raise E("msg")`),
 * `__build_class__` makes a class. Calling a value Python cannot call is its TypeError; calling anything
 * else (functions, classes, builtins) is outside the subset.
 */
import { TypeError_ } from "../../core/errors.js";
import type { PyValue } from "../../core/values.js";
import { typeName } from "../../core/values.js";
import { instantiateException, PyExceptionClass } from "../exception-types.js";
import { NOT_CALLABLE_TYPES } from "../interpreter.js";
import { buildClass } from "./build-class.js";
import type { BytecodeFrame } from "./frame.js";
import { Refusal, refusing } from "./refusal.js";
import { BUILD_CLASS } from "./runtime-values.js";

export async function callValue(
  frame: BytecodeFrame,
  callee: PyValue,
  args: readonly PyValue[],
  keywords: readonly (readonly [string, PyValue])[],
): Promise<PyValue> {
  if (callee instanceof PyExceptionClass) {
    return refusing(() => instantiateException(callee, args, keywords, frame.location));
  }
  if (callee === BUILD_CLASS) return buildClass(frame, args, keywords);
  if (NOT_CALLABLE_TYPES.has(typeName(callee)))
    throw new TypeError_(`'${typeName(callee)}' object is not callable`);
  throw new Refusal(`calling a '${typeName(callee)}' object`);
}
