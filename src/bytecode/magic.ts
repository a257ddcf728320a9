/**
 * Final-release magic numbers of CPython 3.6–3.14 and what each implies for reading a pyc: header size,
 * code-object layout, the reader's marshal version and the SipHash variant of hash-based pycs (PYC.md §1–2).
 * Pre-release magics are deliberately unknown: alphas changed layouts step by step (3.11a1: 3450–3461).
 */
import type { CodeLayout } from "./code-object.js";

export type PythonMinor = "3.6" | "3.7" | "3.8" | "3.9" | "3.10" | "3.11" | "3.12" | "3.13" | "3.14";

export interface MagicInfo {
  readonly python: PythonMinor;
  /** The u16 in bytes 0–1 (bytes 2–3 are always `\r\n`). */
  readonly magic: number;
  /** 12 before PEP 552 (3.6), else 16. */
  readonly headerSize: 12 | 16;
  readonly layout: CodeLayout;
  /** `marshal.version` of that interpreter: what its reader accepts and its writer writes. */
  readonly marshalVersion: 4 | 5;
  /** SipHash rounds of `importlib.util.source_hash`: 2-4 in 3.7–3.10, 1-3 in 3.11+; null in 3.6. */
  readonly sourceHash: "siphash24" | "siphash13" | null;
}

export const MAGIC_TABLE: readonly MagicInfo[] = [
  { python: "3.6", magic: 3379, headerSize: 12, layout: "3.6", marshalVersion: 4, sourceHash: null },
  { python: "3.7", magic: 3394, headerSize: 16, layout: "3.6", marshalVersion: 4, sourceHash: "siphash24" },
  { python: "3.8", magic: 3413, headerSize: 16, layout: "3.8", marshalVersion: 4, sourceHash: "siphash24" },
  { python: "3.9", magic: 3425, headerSize: 16, layout: "3.8", marshalVersion: 4, sourceHash: "siphash24" },
  { python: "3.10", magic: 3439, headerSize: 16, layout: "3.10", marshalVersion: 4, sourceHash: "siphash24" },
  { python: "3.11", magic: 3495, headerSize: 16, layout: "3.11", marshalVersion: 4, sourceHash: "siphash13" },
  { python: "3.12", magic: 3531, headerSize: 16, layout: "3.11", marshalVersion: 4, sourceHash: "siphash13" },
  { python: "3.13", magic: 3571, headerSize: 16, layout: "3.11", marshalVersion: 4, sourceHash: "siphash13" },
  { python: "3.14", magic: 3627, headerSize: 16, layout: "3.11", marshalVersion: 5, sourceHash: "siphash13" },
];

const BY_MAGIC = new Map<number, MagicInfo>(MAGIC_TABLE.map((m) => [m.magic, m]));
const BY_PYTHON = new Map<string, MagicInfo>(MAGIC_TABLE.map((m) => [m.python, m]));

/** The release a magic number belongs to, or undefined for pre-release and foreign magics. */
export function magicInfo(magic: number): MagicInfo | undefined {
  return BY_MAGIC.get(magic);
}

/** The entry for "3.X" (also accepts "3.X.Y"). */
export function magicForPython(version: string): MagicInfo | undefined {
  const [major, minor] = version.split(".");
  return BY_PYTHON.get(`${major}.${minor}`);
}

/** The 4 bytes a pyc starts with: the u16 little-endian, then `\r\n`. */
export function magicBytes(magic: number): Uint8Array {
  return Uint8Array.of(magic & 0xff, (magic >>> 8) & 0xff, 0x0d, 0x0a);
}

/** The code-object layout a Python version's marshal stream uses. */
export function layoutForPython(version: string): CodeLayout | undefined {
  return magicForPython(version)?.layout;
}
