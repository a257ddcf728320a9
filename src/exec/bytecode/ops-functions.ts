/**
 * `def` and `class`: MAKE_FUNCTION binds a function object (its body never runs), LOAD_BUILD_CLASS pushes
 * `__build_class__`. Defaults, keyword defaults, annotations and closures were evaluated by the instructions
 * before; they are popped and dropped, since function objects only model their names.
 */
import type { PyValue } from "../../core/values.js";
import { typeName } from "../../core/values.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import type { Instruction } from "./instructions.js";
import { Refusal } from "./refusal.js";
import { BUILD_CLASS, BytecodeFunction, CodeValue } from "./runtime-values.js";

/** A function's `__module__`: `globals()["__name__"]` when it is a str. */
function moduleName(frame: BytecodeFrame): string {
  const name = frame.globals.get("__name__");
  return typeof name === "string" ? name : frame.module.name;
}

/** MAKE_FUNCTION's flag bits up to 3.12 (defaults, kwdefaults, annotations, closure): one value each. */
const ATTRIBUTE_FLAGS = [0x01, 0x02, 0x04, 0x08];

function makeFunction(frame: BytecodeFrame, instr: Instruction): void {
  // Up to 3.10 the qualified name is on top; from 3.11 it is the code object's co_qualname.
  let qualname: PyValue | undefined;
  if (frame.minor <= 10) qualname = frame.pop();
  const code = frame.pop();
  if (!(code instanceof CodeValue)) throw new Refusal(`MAKE_FUNCTION of a '${typeName(code)}'`);
  if (frame.minor <= 12) for (const flag of ATTRIBUTE_FLAGS) if (instr.arg & flag) frame.pop();
  const name = typeof qualname === "string" ? qualname : code.code.qualname;
  frame.push(new BytecodeFunction(code.code.name, name, moduleName(frame), code.code));
}

export const functionHandlers: HandlerTable = {
  MAKE_FUNCTION: makeFunction,
  // 3.13+: `attribute, function` → `function`.
  SET_FUNCTION_ATTRIBUTE: (frame) => {
    const fn = frame.pop();
    frame.pop();
    frame.push(fn);
  },
  LOAD_BUILD_CLASS: (frame) => frame.push(BUILD_CLASS),
};
