/**
 * The snapshot file (docs/snapshot-format.md): a fixed 32-byte header, an index (UTF-8 JSON, CRC-32
 * checked when the file is opened), then the code area — each module's compiled code, CRC-32 checked
 * and decoded only when that module is imported. Opening a snapshot reads the index and nothing else.
 *
 *   0  8  magic `\x89IKSNAP\n`      16  4  index CRC-32
 *   8  4  format version (1)        20  4  code area length
 *  12  4  index length              24  4  module count       28  4  reserved, 0
 *
 * All integers little-endian, unsigned. The file is exactly 32 + index + code area bytes long.
 */
import { crc32 } from "node:zlib";
import { SnapshotError } from "../core/errors.js";
import { parseJsonText } from "../core/json-text.js";
import type { CodeKind } from "./code-bytes.js";
import type { SnapshotIndex, SnapshotModule } from "./index-schema.js";
import { byName, validateIndex } from "./index-schema.js";

export const SNAPSHOT_MAGIC = Uint8Array.of(0x89, 0x49, 0x4b, 0x53, 0x4e, 0x41, 0x50, 0x0a);
export const SNAPSHOT_FORMAT_VERSION = 1;
export const HEADER_SIZE = 32;

/** An opened snapshot: the validated index and the code area, nothing decoded yet. */
export interface Snapshot {
  /** The file it came from (named in every error). */
  readonly filename: string;
  readonly index: SnapshotIndex;
  readonly modules: ReadonlyMap<string, SnapshotModule>;
  /** The code area (a view into the file's bytes). */
  readonly code: Uint8Array;
}

/** What a writer provides: the index without code locations, and each module's code bytes. */
export interface SnapshotContent {
  readonly index: Omit<SnapshotIndex, "modules">;
  readonly modules: readonly (Omit<SnapshotModule, "code"> & {
    readonly code: CodeKind;
    readonly codeBytes: Uint8Array;
  })[];
}

/** Lay out a snapshot: modules sorted by name, code in the same order, so equal input gives equal bytes. */
export function encodeSnapshot(content: SnapshotContent): Uint8Array {
  const sorted = [...content.modules].sort(byName);
  let offset = 0;
  const modules: SnapshotModule[] = sorted.map(({ codeBytes, ...module }) => {
    const code: SnapshotModule["code"] = {
      ...module.code,
      offset,
      length: codeBytes.length,
      crc32: crc32(codeBytes),
    };
    offset += codeBytes.length;
    return { ...module, code };
  });
  const index = new TextEncoder().encode(JSON.stringify({ ...content.index, modules }));
  const out = new Uint8Array(HEADER_SIZE + index.length + offset);
  const view = new DataView(out.buffer);
  out.set(SNAPSHOT_MAGIC, 0);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(12, index.length, true);
  view.setUint32(16, crc32(index), true);
  view.setUint32(20, offset, true);
  view.setUint32(24, modules.length, true);
  out.set(index, HEADER_SIZE);
  let at = HEADER_SIZE + index.length;
  for (const module of sorted) {
    out.set(module.codeBytes, at);
    at += module.codeBytes.length;
  }
  return out;
}

/** Open a snapshot's bytes: header, lengths, index CRC and every index field are checked; no code is decoded. */
export function decodeSnapshot(data: Uint8Array, filename: string): Snapshot {
  const fail = (reason: string): never => {
    throw new SnapshotError(filename, reason);
  };
  if (data.length < HEADER_SIZE) fail(`truncated: ${data.length} bytes, shorter than the 32-byte header`);
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (data[i] !== SNAPSHOT_MAGIC[i]) fail("not a snapshot (bad magic number)");
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_FORMAT_VERSION)
    fail(`snapshot format version ${version}; this importkit reads version ${SNAPSHOT_FORMAT_VERSION}`);
  const indexLength = view.getUint32(12, true);
  const codeLength = view.getUint32(20, true);
  const count = view.getUint32(24, true);
  if (view.getUint32(28, true) !== 0) fail("reserved header field is not 0");
  const expected = HEADER_SIZE + indexLength + codeLength;
  if (expected !== data.length) {
    fail(
      `the header says ${expected} bytes (index ${indexLength}, code ${codeLength}), the file has ${data.length}` +
        (data.length < expected ? " (truncated)" : ""),
    );
  }
  const indexBytes = data.subarray(HEADER_SIZE, HEADER_SIZE + indexLength);
  const actualCrc = crc32(indexBytes);
  if (actualCrc !== view.getUint32(16, true))
    fail("index CRC-32 mismatch (the index was changed or damaged)");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(indexBytes);
  } catch {
    return fail("index is not UTF-8");
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return fail(`index is not JSON (${parsed.reason})`);
  const index = validateIndex(parsed.value, codeLength, fail);
  if (index.modules.length !== count)
    fail(`the header counts ${count} modules, the index lists ${index.modules.length}`);
  const modules = new Map<string, SnapshotModule>();
  for (const module of index.modules) {
    if (modules.has(module.name)) fail(`module ${module.name} is listed twice`);
    modules.set(module.name, module);
  }
  return { filename, index, modules, code: data.subarray(HEADER_SIZE + indexLength) };
}

/** One module's code bytes, CRC-checked: a damaged code area is an error, never a different module. */
export function moduleCodeBytes(snapshot: Snapshot, module: SnapshotModule): Uint8Array {
  const { offset, length } = module.code;
  const bytes = snapshot.code.subarray(offset, offset + length);
  if (crc32(bytes) !== module.code.crc32) {
    throw new SnapshotError(snapshot.filename, "code CRC-32 mismatch (the code was changed or damaged)", {
      name: module.name,
    });
  }
  return bytes;
}
