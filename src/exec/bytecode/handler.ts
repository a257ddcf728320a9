/** An instruction's implementation: changes the frame, returns a promise only when it may import. */
import type { BytecodeFrame } from "./frame.js";
import type { Instruction } from "./instructions.js";

export type Handler = (frame: BytecodeFrame, instr: Instruction) => void | Promise<void>;

export type HandlerTable = Readonly<Record<string, Handler>>;
