/**
 * "This instruction meets something outside the scenario subset." Raised inside an instruction and turned by
 * the run loop into the one public message, `opcode NAME at offset N in FILE is not supported`.
 */
import { NotSupportedError } from "../../core/errors.js";

export class Refusal extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = "Refusal";
  }
}

/** The NotSupportedError a loader's caller sees. */
export class UnsupportedOpcodeError extends NotSupportedError {
  constructor(
    readonly opname: string,
    readonly offset: number,
    readonly filename: string,
    /** What exactly was refused, for debugging; not part of the message. */
    readonly detail: string | null = null,
  ) {
    super(`opcode ${opname} at offset ${offset} in ${filename} is not supported`);
  }
}

/**
 * Run a helper of the source executor (attribute access, builtins, exception creation); its own
 * NotSupportedError becomes a Refusal of the current instruction.
 */
export function refusing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof NotSupportedError) throw new Refusal(error.message);
    throw error;
  }
}
