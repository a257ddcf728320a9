/** The corpus copy in test/fixtures/corpus: every binary file with its dump and how to decode it. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeLayout } from "../../../src/bytecode/index.js";
import { layoutForPython } from "../../../src/bytecode/index.js";

export const CORPUS = new URL("../../fixtures/corpus/", import.meta.url).pathname;

export const VERSIONS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"] as const;

export interface CorpusEntry {
  /** "pyc" files have a header; "marshal" blobs are headerless. */
  readonly kind: "pyc" | "marshal";
  readonly version: (typeof VERSIONS)[number];
  readonly name: string;
  readonly path: string;
  /** The blob's writer version (values.vK.bin), else the interpreter's own marshal version. */
  readonly writerVersion: number;
  readonly layout: CodeLayout;
  readonly readerVersion: 4 | 5;
}

export function corpusEntries(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const kind of ["pyc", "marshal"] as const) {
    for (const version of VERSIONS) {
      const dir = join(CORPUS, kind, version);
      const readerVersion = version === "3.14" ? 5 : 4;
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(pyc|bin)$/.test(name)) continue;
        const written = /\.v(\d)\.bin$/.exec(name);
        out.push({
          kind,
          version,
          name,
          path: join(dir, name),
          writerVersion: written ? Number(written[1]) : readerVersion,
          layout: layoutForPython(version)!,
          readerVersion,
        });
      }
    }
  }
  return out;
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** The dump text next to a binary file (one line of compact ASCII JSON). */
export function dumpText(path: string): string {
  return readFileSync(path.replace(/\.(pyc|bin)$/, ".json"), "utf8").trimEnd();
}
