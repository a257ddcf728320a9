/**
 * importkit's own bytecode-cache files. They sit where CPython's would (`__pycache__/NAME.cpython-3X.pyc`,
 * so `__cached__` is CPython's name) but carry importkit's magic number, `IK\r\n`, which no CPython
 * release uses: CPython sees a bad magic, recompiles, and never runs them; importkit validates them
 * exactly as CPython validates its own (timestamp + size, or source hash) and, when they are trusted,
 * runs the code they hold — not the source on disk, as CPython does with a stale-but-trusted pyc.
 *
 * The code held is the executor's input as compiled: the source text, tagged with the format, in a
 * marshal tuple `("importkit", 1, "source", text)`. Running it re-derives the same program.
 */
import { decodeMarshal, encodeMarshal, MarshalError } from "../bytecode/index.js";

export const IMPORTKIT_MAGIC = Uint8Array.of(0x49, 0x4b, 0x0d, 0x0a);
const FORMAT = "importkit";
const FORMAT_VERSION = 1;

export interface ImportkitPycHeader {
  readonly hash: { readonly sourceHash: Uint8Array; readonly checkSource: boolean } | null;
  readonly mtime: number;
  readonly sourceSize: number;
}

export function encodeImportkitPyc(source: string, header: ImportkitPycHeader): Uint8Array {
  const body = encodeMarshal([FORMAT, FORMAT_VERSION, "source", source], { version: 4, layout: "3.11" });
  const out = new Uint8Array(16 + body.length);
  const view = new DataView(out.buffer);
  out.set(IMPORTKIT_MAGIC, 0);
  if (header.hash) {
    view.setUint32(4, header.hash.checkSource ? 3 : 1, true);
    out.set(header.hash.sourceHash, 8);
  } else {
    view.setUint32(4, 0, true);
    view.setUint32(8, header.mtime >>> 0, true);
    view.setUint32(12, header.sourceSize >>> 0, true);
  }
  out.set(body, 16);
  return out;
}

/** The source text an importkit cache file holds, or null when its body is not one (then it is ignored). */
export function importkitPycSource(data: Uint8Array, filename: string): string | null {
  return importkitPycBody(data, filename)?.text ?? null;
}

/** The source text and where its marshal object ends (overlays may follow), or null as above. */
export function importkitPycBody(data: Uint8Array, filename: string): { text: string; end: number } | null {
  try {
    const { value, end } = decodeMarshal(data, { layout: "3.11", offset: 16, filename });
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [format, version, kind, text] = value;
    return format === FORMAT && version === FORMAT_VERSION && kind === "source" && typeof text === "string"
      ? { text, end }
      : null;
  } catch (error) {
    if (error instanceof MarshalError) return null;
    throw error;
  }
}

export function isImportkitPyc(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x49 && data[1] === 0x4b && data[2] === 0x0d && data[3] === 0x0a;
}
