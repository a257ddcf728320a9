/** Running CPython 3.8–3.14 module code objects (from pycs) for the scenario subset of Python. */
export { BytecodeExecutor, CodeRunner, CompiledBytecode } from "./executor.js";
export { UnsupportedOpcodeError } from "./refusal.js";
export type { RunOptions } from "./runner.js";
export { runCode } from "./runner.js";
export type { BytecodeVersion } from "./versions.js";
export { BYTECODE_VERSIONS, isBytecodeVersion } from "./versions.js";
