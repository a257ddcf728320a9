/**
 * LOAD_ATTR and the method loads. A method load pushes "no self" (NULL) next to the attribute: the values
 * scenario code reaches (modules, classes, exceptions, literals) have no methods it may call.
 */
import type { PyValue } from "../../core/values.js";
import { getAttribute } from "../attributes.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import type { Instruction } from "./instructions.js";
import { refusing } from "./refusal.js";
import { NULL } from "./runtime-values.js";

function attributeOf(frame: BytecodeFrame, owner: PyValue, nameIndex: number): PyValue {
  const name = frame.name(nameIndex);
  return refusing(() => getAttribute(owner, name, frame.location));
}

/** Push a method load's pair: [NULL, attr] up to 3.12 (LOAD_METHOD), [attr, NULL] from 3.13. */
function pushMethod(frame: BytecodeFrame, attr: PyValue): void {
  if (frame.minor >= 13) frame.push(attr, NULL);
  else frame.push(NULL, attr);
}

function loadAttr(frame: BytecodeFrame, instr: Instruction): void {
  const owner = frame.pop();
  // 3.12+: the low bit asks for a method load, the name index is the rest.
  if (frame.minor < 12) {
    frame.push(attributeOf(frame, owner, instr.arg));
    return;
  }
  const attr = attributeOf(frame, owner, instr.arg >> 1);
  if (instr.arg & 1) pushMethod(frame, attr);
  else frame.push(attr);
}

export const attributeHandlers: HandlerTable = {
  LOAD_ATTR: loadAttr,
  // 3.7–3.11
  LOAD_METHOD: (frame, instr) => pushMethod(frame, attributeOf(frame, frame.pop(), instr.arg)),
};
