/**
 * Zip archives for the zip tests: a tiny synchronous writer that controls every field (flags, extra fields,
 * comments, offsets, prepended bytes, record counts, data that does not match its header) and reports where
 * each structure landed, so tests can corrupt a chosen byte; and yazl, the writer importkit depends on.
 */
import { crc32, deflateRawSync } from "node:zlib";
import yazl from "yazl";
import { zipFileBytes } from "../../../src/scenario/zip-archive.js";

export interface RawEntry {
  /** A string is written as UTF-8; bytes as they are. */
  readonly name: string | Uint8Array;
  /** The member's uncompressed bytes (default: empty). */
  readonly data?: string | Uint8Array;
  /** 0 stored, 8 deflated (default 0); any other value is written as is, with deflated bytes. */
  readonly method?: number;
  /** General-purpose flags (default 0x800 for a string name, else 0). */
  readonly flags?: number;
  readonly dosTime?: number;
  readonly dosDate?: number;
  /** Overrides the CRC-32 written in both headers. */
  readonly crc?: number;
  /** Replaces the bytes stored as the member's data (the sizes follow them unless overridden). */
  readonly stored?: Uint8Array;
  readonly compressedSize?: number;
  readonly size?: number;
  readonly centralExtra?: Uint8Array;
  /** Default: the central record's extra field. */
  readonly localExtra?: Uint8Array;
  readonly comment?: Uint8Array;
  /** Overrides the central record's local-header offset (archive-relative, as written). */
  readonly headerOffset?: number;
}

export interface RawArchive {
  readonly entries: readonly RawEntry[];
  /** Bytes before the archive proper (a zipapp's `#!` line, a self-extractor stub). */
  readonly prefix?: Uint8Array;
  /** Offsets counted from the start of the file (prefix included) rather than from the archive's start. */
  readonly absoluteOffsets?: boolean;
  readonly comment?: Uint8Array;
  /** Overrides both record counts of the end record. */
  readonly entryCount?: number;
}

export interface ZipLayout {
  readonly bytes: Uint8Array;
  /** File positions of each entry's local header, data, and central record. */
  readonly localOffsets: readonly number[];
  readonly dataOffsets: readonly number[];
  readonly centralOffsets: readonly number[];
  readonly centralStart: number;
  /** File position of the end-of-central-directory record. */
  readonly endOffset: number;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function bytesOf(data: string | Uint8Array | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === "string" ? utf8(data) : data;
}

/** The DOS date and time fields of a calendar time (read as given: no time zone involved). */
export function dosFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): { dosDate: number; dosTime: number } {
  return {
    dosDate: ((year - 1980) << 9) | (month << 5) | day,
    dosTime: (hour << 11) | (minute << 5) | (second >> 1),
  };
}

/** 2023-11-14 22:13:20 UTC (the scenario default mtime, 1_700_000_000), as DOS fields. */
export const DEFAULT_DOS = dosFields(2023, 11, 14, 22, 13, 20);

class Out {
  private readonly chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v & 0xffff, true);
    this.bytes(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.bytes(b);
  }
  done(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

/** The member's bytes as written: stored, or raw deflate for any method but 0. */
function payload(entry: RawEntry, data: Uint8Array): Uint8Array {
  if (entry.stored !== undefined) return entry.stored;
  return (entry.method ?? 0) === 0 ? data : new Uint8Array(deflateRawSync(data));
}

export function buildZip(archive: RawArchive): ZipLayout {
  const out = new Out();
  const prefix = archive.prefix ?? new Uint8Array(0);
  out.bytes(prefix);
  const base = archive.absoluteOffsets ? 0 : prefix.length;
  const localOffsets: number[] = [];
  const dataOffsets: number[] = [];
  const centralOffsets: number[] = [];
  const prepared = archive.entries.map((entry) => {
    const name = bytesOf(entry.name);
    const data = bytesOf(entry.data);
    const body = payload(entry, data);
    return {
      entry,
      name,
      body,
      flags: entry.flags ?? (typeof entry.name === "string" ? 0x800 : 0),
      crc: entry.crc ?? crc32(data),
      csize: entry.compressedSize ?? body.length,
      size: entry.size ?? data.length,
      time: entry.dosTime ?? DEFAULT_DOS.dosTime,
      date: entry.dosDate ?? DEFAULT_DOS.dosDate,
      centralExtra: entry.centralExtra ?? new Uint8Array(0),
      localExtra: entry.localExtra ?? entry.centralExtra ?? new Uint8Array(0),
      comment: entry.comment ?? new Uint8Array(0),
      offset: 0,
    };
  });
  for (const p of prepared) {
    localOffsets.push(out.length);
    p.offset = out.length - base;
    out.u32(0x04034b50);
    out.u16(20);
    out.u16(p.flags);
    out.u16(p.entry.method ?? 0);
    out.u16(p.time);
    out.u16(p.date);
    out.u32(p.crc);
    out.u32(p.csize);
    out.u32(p.size);
    out.u16(p.name.length);
    out.u16(p.localExtra.length);
    out.bytes(p.name);
    out.bytes(p.localExtra);
    dataOffsets.push(out.length);
    out.bytes(p.body);
  }
  const centralStart = out.length;
  for (const p of prepared) {
    centralOffsets.push(out.length);
    out.u32(0x02014b50);
    out.u16((3 << 8) | 20);
    out.u16(20);
    out.u16(p.flags);
    out.u16(p.entry.method ?? 0);
    out.u16(p.time);
    out.u16(p.date);
    out.u32(p.crc);
    out.u32(p.csize);
    out.u32(p.size);
    out.u16(p.name.length);
    out.u16(p.centralExtra.length);
    out.u16(p.comment.length);
    out.u16(0);
    out.u16(0);
    out.u32(0o100644 << 16);
    out.u32(p.entry.headerOffset ?? p.offset);
    out.bytes(p.name);
    out.bytes(p.centralExtra);
    out.bytes(p.comment);
  }
  const endOffset = out.length;
  const count = archive.entryCount ?? prepared.length;
  const comment = archive.comment ?? new Uint8Array(0);
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(count);
  out.u16(count);
  out.u32(endOffset - centralStart);
  out.u32(centralStart - base);
  out.u16(comment.length);
  out.bytes(comment);
  return { bytes: out.done(), localOffsets, dataOffsets, centralOffsets, centralStart, endOffset };
}

/** A copy of `bytes` with `patch` applied at `at`. */
export function patched(bytes: Uint8Array, at: number, patch: readonly number[] | Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy.set(patch, at);
  return copy;
}

export function setU16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  return patched(bytes, at, [value & 0xff, (value >> 8) & 0xff]);
}

export function setU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  return patched(bytes, at, [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export interface YazlEntry {
  readonly name: string;
  /** null: a directory entry. */
  readonly data: Uint8Array | null;
  readonly compress?: boolean;
  /** Local calendar fields, which yazl writes as the DOS date and time. */
  readonly mtime?: Date;
  /** Keep yazl's extended-timestamp extra field (default: DOS time only, like Python's zipfile). */
  readonly extendedTimestamp?: boolean;
}

/** An archive written by yazl (every name flagged UTF-8). */
export function yazlZip(
  entries: readonly YazlEntry[],
  options: { zip64?: boolean; comment?: string } = {},
): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  const done = zipFileBytes(zip);
  for (const entry of entries) {
    const common = {
      mtime: entry.mtime ?? new Date(2023, 10, 14, 22, 13, 20),
      forceDosTimestamp: !entry.extendedTimestamp,
      forceZip64Format: options.zip64 ?? false,
    };
    if (entry.data === null) zip.addEmptyDirectory(entry.name, common);
    else zip.addBuffer(Buffer.from(entry.data), entry.name, { ...common, compress: entry.compress ?? false });
  }
  zip.end({ forceZip64Format: options.zip64 ?? false, comment: options.comment ?? "" });
  return done;
}
