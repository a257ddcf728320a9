/**
 * A member's bytes, as zipimport's `_get_data` reads them — the local header checked, the data read at
 * its offset, inflated as raw deflate unless stored — plus what zipimport leaves out and importkit adds:
 * the CRC-32 is checked (yauzl does not check it either), and inflating stops at a size and ratio limit,
 * so a decompression bomb costs neither unbounded memory nor time.
 *
 * Synchronous: the data is read with one `fs.read` (header, name, extra field and data together when the
 * local header's lengths match the central record's, which is the rule), then `zlib.inflateRawSync`.
 */
import { crc32, inflateRawSync } from "node:zlib";
import { u16, u32 } from "../bytecode/little-endian.js";
import { EOFError, OSError, ZipImportError, ZlibError } from "../core/errors.js";
import { type FileSystem, FileSystemError } from "../core/fs/file-system.js";
import { osErrorFor } from "../core/fs/os-error.js";
import { pyRepr } from "../core/values.js";
import type { ZipEntry } from "./central-directory.js";

export interface MemberLimits {
  /** Largest inflated member, in bytes. */
  readonly maxSize: number;
  /** Largest inflated/compressed ratio once the output passes `ratioFloor` bytes. */
  readonly maxRatio: number;
  /** Output below this size is never refused for its ratio (small files of repeated text compress well). */
  readonly ratioFloor: number;
  /** Check each member's CRC-32 (CPython does not; importkit does by default). */
  readonly checkCrc: boolean;
}

export const DEFAULT_MEMBER_LIMITS: MemberLimits = {
  maxSize: 256 * 1024 * 1024,
  maxRatio: 200,
  ratioFloor: 1024 * 1024,
  checkCrc: true,
};

const LOCAL_HEADER_SIZE = 30;
const SIG_LOCAL = 0x04034b50;
// Room for a local extra field that the central record does not have (e.g. an extended timestamp).
const EXTRA_SLACK = 64;

/** A read of the archive; failures are the OSError that opening or reading it raises in CPython. */
function readRange(fs: FileSystem, archive: string, position: number, length: number): Uint8Array {
  try {
    return fs.read(archive, position, length);
  } catch (error) {
    if (error instanceof FileSystemError) throw osErrorFor(error, archive);
    throw error;
  }
}

/**
 * The raw (possibly compressed) bytes of `entry`: `_get_data` up to its decompression step. No read goes
 * past `fileSize` (a corrupt size is a short read, as in CPython, not a huge allocation); without it,
 * the archive is stat'ed.
 */
export function readRawMember(
  fs: FileSystem,
  archive: string,
  entry: ZipEntry,
  fileSize: number = fs.stat(archive)?.size ?? 0,
): Uint8Array {
  const left = Math.max(fileSize - entry.headerOffset, 0);
  const guess = Math.min(LOCAL_HEADER_SIZE + entry.nameLength + EXTRA_SLACK + entry.compressedSize, left);
  let chunk = readRange(fs, archive, entry.headerOffset, guess);
  if (chunk.length < LOCAL_HEADER_SIZE) throw new EOFError("EOF read where not expected");
  if (u32(chunk, 0) !== SIG_LOCAL) {
    throw new ZipImportError(`bad local file header: ${pyRepr(archive)}`, { path: archive });
  }
  const dataStart = LOCAL_HEADER_SIZE + u16(chunk, 26) + u16(chunk, 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > left) throw new OSError("zipimport: can't read data");
  if (dataEnd > chunk.length && chunk.length === guess) {
    // The local header is longer than guessed: read the data where it really starts.
    chunk = readRange(fs, archive, entry.headerOffset + dataStart, entry.compressedSize);
    if (chunk.length !== entry.compressedSize) throw new OSError("zipimport: can't read data");
    return chunk;
  }
  if (dataEnd > chunk.length) throw new OSError("zipimport: can't read data");
  return chunk.subarray(dataStart, dataEnd);
}

/** `_get_data(archive, toc_entry)`: the member's bytes, inflated and checked. */
export function readMemberData(
  fs: FileSystem,
  archive: string,
  entry: ZipEntry,
  limits: MemberLimits = DEFAULT_MEMBER_LIMITS,
  fileSize?: number,
): Uint8Array {
  const raw = readRawMember(fs, archive, entry, fileSize);
  const data = entry.method === 0 ? raw : inflate(raw, archive, entry, limits);
  if (limits.checkCrc && crc32(data) !== entry.crc32) {
    throw new ZipImportError(
      `bad CRC-32 for ${pyRepr(entry.name)} in ${pyRepr(archive)}: ` +
        `0x${crc32(data).toString(16).padStart(8, "0")}, the archive says 0x${entry.crc32.toString(16).padStart(8, "0")}`,
      { path: archive },
    );
  }
  return data;
}

/** `zlib.decompress(raw, -15)` within the limits; zlib's failures are `zlib.error` with CPython's text. */
function inflate(raw: Uint8Array, archive: string, entry: ZipEntry, limits: MemberLimits): Uint8Array {
  const allowed = Math.min(limits.maxSize, Math.max(limits.ratioFloor, raw.length * limits.maxRatio));
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(allowed, 1) });
  } catch (error) {
    const { code, errno } = error as NodeJS.ErrnoException;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new ZipImportError(
        `${pyRepr(entry.name)} in ${pyRepr(archive)} inflates past ${allowed} bytes from ${raw.length} ` +
          `(limits: ${limits.maxSize} bytes, ${limits.maxRatio}:1 beyond ${limits.ratioFloor} bytes): ` +
          "refused as a decompression bomb",
        { path: archive },
      );
    }
    if (typeof errno === "number") {
      // CPython words a truncated stream itself; other failures carry zlib's own message, as Node's do.
      const detail = errno === -5 ? "incomplete or truncated stream" : (error as Error).message;
      throw new ZlibError(`Error ${errno} while decompressing data: ${detail}`, { cause: error });
    }
    throw error;
  }
}
