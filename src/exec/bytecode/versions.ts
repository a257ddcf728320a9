/** The CPython versions whose module code the bytecode runner executes. */

export const BYTECODE_VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"] as const;

export type BytecodeVersion = (typeof BYTECODE_VERSIONS)[number];

export function isBytecodeVersion(text: string): text is BytecodeVersion {
  return (BYTECODE_VERSIONS as readonly string[]).includes(text);
}

/** The minor version number (8 for "3.8"), for "3.11 and later" tests. */
export function minorOf(version: BytecodeVersion): number {
  return Number(version.slice(2));
}
