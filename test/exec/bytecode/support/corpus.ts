/** The shared pyc corpus (shared/corpus, beside the repository): real pycs of CPython 3.6–3.14. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CodeObject } from "../../../../src/bytecode/index.js";
import { readPyc } from "../../../../src/bytecode/index.js";

export const corpusDir = fileURLToPath(new URL("../../../../../shared/corpus/", import.meta.url));

export const corpusAvailable = existsSync(`${corpusDir}pyc`);

export function corpusPycPath(version: string, name: string): string {
  return `${corpusDir}pyc/${version}/${name}.pyc`;
}

export function corpusPycNames(version: string): string[] {
  if (!corpusAvailable) return [];
  return readdirSync(`${corpusDir}pyc/${version}`)
    .filter((file) => file.endsWith(".pyc"))
    .map((file) => file.slice(0, -".pyc".length))
    .sort();
}

export function readCorpusPyc(version: string, name: string): CodeObject {
  const path = corpusPycPath(version, name);
  const { code } = readPyc(new Uint8Array(readFileSync(path)), { filename: path });
  if (typeof code !== "object" || code === null || !("type" in code) || code.type !== "code")
    throw new Error(`${path} holds no code object`);
  return code;
}

/** Every code object of a pyc, depth-first in const order (as support/dis_dump.py walks them). */
export function allCodeObjects(code: CodeObject, out: CodeObject[] = []): CodeObject[] {
  out.push(code);
  for (const constant of code.consts) {
    if (typeof constant === "object" && constant !== null && "type" in constant && constant.type === "code")
      allCodeObjects(constant, out);
  }
  return out;
}
