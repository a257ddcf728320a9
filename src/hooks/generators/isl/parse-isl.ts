/** The ISL front end in one call: text (or UTF-8 bytes) → a checked interface, or an IslSyntaxError. */
import type { IslInterface } from "./ast.js";
import { checkInterface } from "./checker.js";
import { parseSyntax } from "./parser.js";
import { decodeIslSource } from "./source-text.js";

/**
 * Parse and check one ISL file. `path` is only used in error messages (`calc.isl:4:12: unknown type
 * 'Nmber'`). Throws IslSyntaxError for every problem, never anything else.
 */
export function parseIsl(source: Uint8Array | string, path = "<isl>"): IslInterface {
  const text = decodeIslSource(source, path);
  return checkInterface(parseSyntax(text, path), path);
}
