/**
 * The zip fuzzer's own view of the format, independent of src/zip/: an archive as a list of members that
 * can be changed and written again (`writeArchive`), a lenient reader that turns any seed archive into that
 * list (`parseArchive`), and a signature scan that finds the records of an archive however damaged
 * (`scanRecords`), for the mutations that poke fields in place.
 */
import { crc32, deflateRawSync } from "node:zlib";
import { concat } from "./mutate.js";

/** One member as the writer lays it out: the central record and local header agree unless told otherwise. */
export interface Member {
  /** The name's raw bytes (no decoding: hostile names stay exactly as written). */
  readonly name: Uint8Array;
  /** The bytes written as the member's data (deflated or not). */
  readonly payload: Uint8Array;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  /** Declared uncompressed size. */
  readonly size: number;
  readonly dosTime: number;
  readonly dosDate: number;
  /** Uncompressed content, when known (a content mutation starts from it). */
  readonly data?: Uint8Array;
  /** Write sizes and CRC in a data descriptor after the data (flag 0x8), zeros in the local header. */
  readonly descriptor?: boolean;
  /** A local header name that differs from the central one. */
  readonly localName?: Uint8Array;
  readonly extra?: Uint8Array;
}

export interface ArchiveSpec {
  readonly members: readonly Member[];
  /** Bytes before the archive (a zipapp's `#!` line, a self-extractor stub). */
  readonly prefix?: Uint8Array;
  readonly comment?: Uint8Array;
  /** Write a zip64 end record and locator before the classic end record. */
  readonly zip64?: boolean;
}

/** 2023-11-14 22:13:20 UTC as DOS fields (an even second, so a pyc's mtime matches it exactly). */
export const DOS_DATE = ((2023 - 1980) << 9) | (11 << 5) | 14;
export const DOS_TIME = (22 << 11) | (13 << 5) | (20 >> 1);
export const DOS_SECONDS = Date.UTC(2023, 10, 14, 22, 13, 20) / 1000;

export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));
export const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));
export const nameText = (name: Uint8Array): string => Buffer.from(name).toString("latin1");

/** A member with its payload, CRC and size computed from `data`. */
export function member(
  name: string | Uint8Array,
  data: Uint8Array,
  options: { deflate?: boolean; flags?: number; dosTime?: number; dosDate?: number } = {},
): Member {
  const deflate = options.deflate ?? false;
  return {
    name: typeof name === "string" ? utf8(name) : name,
    payload: deflate ? new Uint8Array(deflateRawSync(data)) : data,
    method: deflate ? 8 : 0,
    flags: options.flags ?? 0,
    crc: crc32(data),
    size: data.length,
    dosTime: options.dosTime ?? DOS_TIME,
    dosDate: options.dosDate ?? DOS_DATE,
    data,
  };
}

/** `m` with new content: payload, CRC and size follow (deflated again when `m` was). */
export function withData(m: Member, data: Uint8Array): Member {
  return {
    ...m,
    payload: m.method === 8 ? new Uint8Array(deflateRawSync(data)) : data,
    crc: crc32(data),
    size: data.length,
    data,
  };
}

class Writer {
  private readonly chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    this.bytes(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }
  u32(v: number): void {
    this.bytes(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  }
  u64(v: number): void {
    this.u32(v >>> 0);
    this.u32(Math.floor(v / 0x1_0000_0000) >>> 0);
  }
  done(): Uint8Array {
    return concat(...this.chunks);
  }
}

export { concat };

/** The archive's bytes; offsets in it are relative to the archive proper (after `prefix`), as zip tools write. */
export function writeArchive(spec: ArchiveSpec): Uint8Array {
  const w = new Writer();
  const prefix = spec.prefix ?? new Uint8Array(0);
  w.bytes(prefix);
  const offsets: number[] = [];
  for (const m of spec.members) {
    offsets.push(w.length - prefix.length);
    const localName = m.localName ?? m.name;
    const extra = m.extra ?? new Uint8Array(0);
    w.u32(0x04034b50);
    w.u16(20);
    w.u16(m.flags | (m.descriptor ? 0x8 : 0));
    w.u16(m.method);
    w.u16(m.dosTime);
    w.u16(m.dosDate);
    w.u32(m.descriptor ? 0 : m.crc);
    w.u32(m.descriptor ? 0 : m.payload.length);
    w.u32(m.descriptor ? 0 : m.size);
    w.u16(localName.length);
    w.u16(extra.length);
    w.bytes(localName);
    w.bytes(extra);
    w.bytes(m.payload);
    if (m.descriptor) {
      w.u32(0x08074b50);
      w.u32(m.crc);
      w.u32(m.payload.length);
      w.u32(m.size);
    }
  }
  const cdStart = w.length - prefix.length;
  spec.members.forEach((m, i) => {
    const extra = m.extra ?? new Uint8Array(0);
    w.u32(0x02014b50);
    w.u16(0x031e);
    w.u16(20);
    w.u16(m.flags | (m.descriptor ? 0x8 : 0));
    w.u16(m.method);
    w.u16(m.dosTime);
    w.u16(m.dosDate);
    w.u32(m.crc);
    w.u32(m.payload.length);
    w.u32(m.size);
    w.u16(m.name.length);
    w.u16(extra.length);
    w.u16(0); // comment
    w.u16(0); // disk
    w.u16(0); // internal attributes
    w.u32(m.name.at(-1) === 0x2f ? 0o40755 << 16 : 0o100644 << 16);
    w.u32(offsets[i]!);
    w.bytes(m.name);
    w.bytes(extra);
  });
  const cdSize = w.length - prefix.length - cdStart;
  const count = spec.members.length;
  if (spec.zip64) {
    const end64 = w.length - prefix.length;
    w.u32(0x06064b50);
    w.u64(44);
    w.u16(0x031e);
    w.u16(45);
    w.u32(0);
    w.u32(0);
    w.u64(count);
    w.u64(count);
    w.u64(cdSize);
    w.u64(cdStart);
    w.u32(0x07064b50);
    w.u32(0);
    w.u64(end64);
    w.u32(1);
  }
  const comment = spec.comment ?? new Uint8Array(0);
  w.u32(0x06054b50);
  w.u16(0);
  w.u16(0);
  w.u16(spec.zip64 ? 0xffff : count);
  w.u16(spec.zip64 ? 0xffff : count);
  w.u32(spec.zip64 ? 0xffffffff : cdSize);
  w.u32(spec.zip64 ? 0xffffffff : cdStart);
  w.u16(comment.length);
  w.bytes(comment);
  return w.done();
}

export const u16 = (b: Uint8Array, at: number): number =>
  at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : 0;
export const u32 = (b: Uint8Array, at: number): number =>
  at + 4 <= b.length ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0 : 0;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;

export const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  end64: 0x06064b50,
  locator64: 0x07064b50,
} as const;

/** Where each kind of record starts, found by signature alone (a damaged archive still has most of them). */
export interface Records {
  readonly local: number[];
  readonly central: number[];
  readonly end: number[];
  readonly end64: number[];
  readonly locator64: number[];
}

const PK = Buffer.from("PK", "latin1");

export function scanRecords(b: Uint8Array): Records {
  const r: Records = { local: [], central: [], end: [], end64: [], locator64: [] };
  const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
  for (let i = buf.indexOf(PK); i >= 0 && i + 4 <= b.length; i = buf.indexOf(PK, i + 1)) {
    const sig = u32(b, i);
    if (sig === SIG.local) r.local.push(i);
    else if (sig === SIG.central) r.central.push(i);
    else if (sig === SIG.end) r.end.push(i);
    else if (sig === SIG.end64) r.end64.push(i);
    else if (sig === SIG.locator64) r.locator64.push(i);
  }
  return r;
}

/**
 * A seed archive as a member list, read leniently: the last end record, the central records from its
 * offset (zip64 end record and extra fields honoured), each member's payload from its local header.
 * Returns null when the archive cannot be read that way (then only byte mutations apply to it).
 */
export function parseArchive(b: Uint8Array): ArchiveSpec | null {
  const { end } = scanRecords(b);
  const eocd = end.at(-1);
  if (eocd === undefined || eocd + 22 > b.length) return null;
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  let zip64 = false;
  const end64 = eocd - 20 - 56;
  if (end64 >= 0 && u32(b, end64) === SIG.end64 && u32(b, eocd - 20) === SIG.locator64) {
    zip64 = true;
    cdSize = u64(b, end64 + 40);
    cdOffset = u64(b, end64 + 48);
  }
  const cdStart = (zip64 ? end64 : eocd) - cdSize;
  const prefixLength = cdStart - cdOffset;
  if (cdStart < 0 || prefixLength < 0) return null;
  const members: Member[] = [];
  let at = cdStart;
  while (u32(b, at) === SIG.central && at + 46 <= b.length) {
    const n = u16(b, at + 28);
    const m = u16(b, at + 30);
    const k = u16(b, at + 32);
    let compressed = u32(b, at + 20);
    let size = u32(b, at + 24);
    let offset = u32(b, at + 42);
    const extra = b.subarray(at + 46 + n, at + 46 + n + m);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = u16(extra, e);
      const len = u16(extra, e + 2);
      if (id === 1) {
        let p = e + 4;
        if (size === 0xffffffff) {
          size = u64(extra, p);
          p += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = u64(extra, p);
          p += 8;
        }
        if (offset === 0xffffffff) offset = u64(extra, p);
      }
      e += 4 + len;
    }
    const local = prefixLength + offset;
    if (u32(b, local) !== SIG.local) return null;
    const dataStart = local + 30 + u16(b, local + 26) + u16(b, local + 28);
    if (dataStart + compressed > b.length) return null;
    members.push({
      name: b.slice(at + 46, at + 46 + n),
      payload: b.slice(dataStart, dataStart + compressed),
      method: u16(b, at + 10),
      flags: u16(b, at + 8) & ~0x8,
      crc: u32(b, at + 16),
      size,
      dosTime: u16(b, at + 12),
      dosDate: u16(b, at + 14),
    });
    at += 46 + n + m + k;
  }
  const commentLength = u16(b, eocd + 20);
  return {
    members,
    prefix: b.slice(0, prefixLength),
    comment: b.slice(eocd + 22, eocd + 22 + commentLength),
    zip64,
  };
}
