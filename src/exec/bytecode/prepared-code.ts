/**
 * A code object made ready to run, once: its instructions decoded with the version's table, its exception
 * table parsed, and every instruction checked to be one the runner implements, so that code outside the
 * subset is refused before it has any effect. Nested class bodies are checked with the module; function
 * bodies are not, since `def` never runs them.
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import type { MarshalValue } from "../../bytecode/marshal-values.js";
import type { ExceptionTableEntry } from "./exception-table.js";
import { parseExceptionTable } from "./exception-table.js";
import { handlers } from "./handlers.js";
import type { DecodedCode } from "./instructions.js";
import { decodedCode } from "./instructions.js";
import type { OpcodeTable } from "./opcode-table.js";
import { UnsupportedOpcodeError } from "./refusal.js";

export interface PreparedCode {
  readonly decoded: DecodedCode;
  readonly exceptionTable: readonly ExceptionTableEntry[];
}

/** `co_flags` bit of function-like code (functions, lambdas, comprehensions), never of class bodies. */
const CO_OPTIMIZED = 0x0001;

const preparedByCode = new WeakMap<CodeObject, PreparedCode>();

/** Decode and check `code` and the class bodies inside it; refusals name `filename`. */
export function prepareCode(code: CodeObject, table: OpcodeTable, filename: string): PreparedCode {
  let prepared = preparedByCode.get(code);
  if (prepared !== undefined) return prepared;
  const decoded = decodedCode(code, table);
  for (const instr of decoded.instructions) {
    if (!handlers.has(instr.name)) throw new UnsupportedOpcodeError(instr.name, instr.offset, filename);
  }
  for (const nested of code.consts) {
    if (isCodeObject(nested) && (nested.flags & CO_OPTIMIZED) === 0) prepareCode(nested, table, filename);
  }
  prepared = {
    decoded,
    exceptionTable: code.exceptiontable === null ? [] : parseExceptionTable(code.exceptiontable),
  };
  preparedByCode.set(code, prepared);
  return prepared;
}

function isCodeObject(value: MarshalValue): value is CodeObject {
  return typeof value === "object" && value !== null && "type" in value && value.type === "code";
}
