/**
 * Reading a zip archive's table of contents as zipimport's `_read_directory` does, with yauzl as the engine
 * for the central-directory records.
 *
 * zipimport finds the end-of-central-directory record itself (the last 22 bytes, else the last match in the
 * final 64 KiB), derives how many bytes precede the archive (`arc_offset`: a zipapp's `#!` line, a
 * self-extractor), then reads records until one lacks the `PK\1\2` signature. yauzl alone rejects prepended
 * data and insists on the record count, so importkit locates the records CPython's way and hands yauzl a
 * reader whose positions are the archive's own (file position − `arc_offset`), serving the directory from
 * one read of the file's tail. The reader answers synchronously, so yauzl parses the whole directory in one
 * synchronous loop; only a record with no name, extra field and comment makes yauzl wait a turn (it reads
 * zero bytes with `setImmediate`), and then the result is a promise.
 *
 * zip64 archives are read as CPython 3.13 reads them (a zip64 end record just before the locator and the
 * classic record); CPython 3.11 and 3.12 do not support zip64 and decline such archives.
 */
import yauzl from "yauzl";
import { u16, u32 } from "../bytecode/little-endian.js";
import { decodeUtf8Strict } from "../bytecode/utf8.js";
import type { Awaitable } from "../core/awaitable.js";
import { EOFError, UnicodeDecodeError, ZipImportError } from "../core/errors.js";
import { type FileSystem, FileSystemError } from "../core/fs/file-system.js";
import { pyRepr } from "../core/values.js";
import { decodeCp437 } from "./cp437.js";

/** One central-directory record: zipimport's `toc_entry`, plus what importkit needs to check the data. */
export interface ZipEntry {
  /** The name in the archive, `/`-separated (a directory's ends with `/`). */
  readonly name: string;
  /** `archive/name` as CPython joins them (`toc_entry[0]`, what `__file__` becomes). */
  readonly path: string;
  /** 0 stored; anything else is inflated as raw deflate, as zipimport does. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Position of the local header in the file (prepended bytes included). */
  readonly headerOffset: number;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly crc32: number;
  /** Lengths in the central record; the local header's own lengths are read with the data. */
  readonly nameLength: number;
}

/** A record as read: `path` is joined when first asked for (most entries are never looked at). */
class DirectoryEntry implements ZipEntry {
  private joined: string | null = null;
  constructor(
    private readonly archive: string,
    readonly name: string,
    readonly method: number,
    readonly compressedSize: number,
    readonly size: number,
    readonly headerOffset: number,
    readonly dosTime: number,
    readonly dosDate: number,
    readonly crc32: number,
    readonly nameLength: number,
  ) {}

  get path(): string {
    this.joined ??= archiveMemberPath(this.archive, this.name);
    return this.joined;
  }
}

/** An archive's table of contents (CPython's `_zip_directory_cache[archive]`). */
export interface ZipDirectory {
  readonly archive: string;
  /** Name → entry; for a name given twice, the later record wins (a dict in CPython). */
  readonly files: ReadonlyMap<string, ZipEntry>;
  /** Records read (duplicates included). */
  readonly count: number;
  /** Bytes before the archive proper (`arc_offset`). */
  readonly prefixLength: number;
  readonly zip64: boolean;
  /** The file's size when it was read: no member read goes past it. */
  readonly fileSize: number;
}

export interface ReadDirectoryOptions {
  /**
   * CPython 3.13+: a directory that ends before the record count of its end record raises "mismatched
   * num_entries"; earlier versions keep what they read.
   */
  readonly checkEntryCount?: boolean;
  /**
   * CPython 3.13+ checks a record's local-header offset after its name and zip64 extra field are read;
   * before, ahead of the name ("bad local header offset" wins over a name cut short).
   */
  readonly offsetCheckedAfterName?: boolean;
}

const END_SIZE = 22;
const END64_SIZE = 56;
const LOCATOR64_SIZE = 20;
const MAX_COMMENT = 0xffff;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const UTF8_FLAG = 0x800;

function u64(b: Uint8Array, at: number): number {
  // Beyond 2**53 no real archive exists; the checks against the file size below reject such values.
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

/** The last position of `signature` in `bytes` at or before `from` (Python's `rfind`), or -1. */
function lastSignature(bytes: Uint8Array, signature: number, from: number): number {
  const b0 = signature & 0xff;
  for (let i = Math.min(from, bytes.length - 4); i >= 0; i--) {
    if (bytes[i] === b0 && u32(bytes, i) === signature) return i;
  }
  return -1;
}

/** `archive/name` as zipimport's `_path_join(archive, name)` makes it on POSIX. */
export function archiveMemberPath(archive: string, name: string): string {
  if (archive !== "" && name !== "" && !archive.endsWith("/") && !name.endsWith("/"))
    return `${archive}/${name}`;
  const parts = [archive, name].filter((p) => p !== "").map((p) => p.replace(/\/+$/, ""));
  return parts.join("/");
}

/** A range of the archive; failing to open it is "can't open", any other failure "can't read" (as zipimport). */
function readDirectoryBytes(fs: FileSystem, archive: string, position: number, length: number): Uint8Array {
  try {
    return fs.read(archive, position, length);
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    if (error.code === "ENOENT" || error.code === "EACCES" || error.code === "EISDIR") {
      throw new ZipImportError(`can't open Zip file: ${pyRepr(archive)}`, { path: archive, cause: error });
    }
    throw cannotRead(archive);
  }
}

function cannotRead(archive: string): ZipImportError {
  return new ZipImportError(`can't read Zip file: ${pyRepr(archive)}`, { path: archive });
}

interface EndRecord {
  /** File position of the record CPython uses (the zip64 one when present). */
  readonly position: number;
  readonly directorySize: number;
  readonly directoryOffset: number;
  readonly entryCount: number;
  readonly zip64: boolean;
}

/** Find the end record in the file's tail, as `_read_directory` does (3.11, plus 3.13's zip64 record). */
function findEndRecord(tail: Uint8Array, tailStart: number, fileSize: number, archive: string): EndRecord {
  if (fileSize < END_SIZE) throw cannotRead(archive);
  let pos = tail.length - END_SIZE;
  if (u32(tail, pos) !== SIG_END) {
    // A comment follows the record: the last signature in the final 64 KiB + 22 bytes.
    const searchStart = Math.max(tail.length - (MAX_COMMENT + END_SIZE), 0);
    pos = lastSignature(tail, SIG_END, tail.length - 4);
    if (pos < searchStart) {
      throw new ZipImportError(`not a Zip file: ${pyRepr(archive)}`, { path: archive });
    }
    if (tail.length - pos < END_SIZE) {
      throw new ZipImportError(`corrupt Zip file: ${pyRepr(archive)}`, { path: archive });
    }
  }
  const pos64 = pos - LOCATOR64_SIZE - END64_SIZE;
  if (pos64 >= 0 && u32(tail, pos64) === SIG_END64 && u32(tail, pos - LOCATOR64_SIZE) === SIG_LOCATOR64) {
    return {
      position: tailStart + pos64,
      directorySize: u64(tail, pos64 + 40),
      directoryOffset: u64(tail, pos64 + 48),
      entryCount: u64(tail, pos64 + 24),
      zip64: true,
    };
  }
  return {
    position: tailStart + pos,
    directorySize: u32(tail, pos + 12),
    directoryOffset: u32(tail, pos + 16),
    entryCount: u16(tail, pos + 8),
    zip64: false,
  };
}

/**
 * yauzl's view of the file: positions relative to the archive proper (after `prefixLength` bytes),
 * served synchronously from `window`, which holds the file from the directory's start to its end.
 */
class DirectoryWindowReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly window: Uint8Array,
    /** The archive-relative position of `window[0]`. */
    private readonly windowStart: number,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    const start = position - this.windowStart;
    if (start < 0) {
      callback(new Error(`read before the central directory (archive position ${position})`));
      return;
    }
    const end = Math.min(start + length, this.window.length);
    const count = Math.max(end - start, 0);
    if (count > 0) buffer.set(this.window.subarray(start, end), offset);
    callback(null, count);
  }

  override _readStreamForRange(): never {
    throw new Error("the central directory reader serves only synchronous reads");
  }
}

/** Read `archive`'s table of contents. Failures are zipimport's: ZipImportError, or EOFError for a directory cut short. */
export function readZipDirectory(
  fs: FileSystem,
  archive: string,
  fileSize: number,
  options: ReadDirectoryOptions = {},
): Awaitable<ZipDirectory> {
  const tailLength = Math.min(fileSize, MAX_COMMENT + END_SIZE + END64_SIZE + LOCATOR64_SIZE);
  const tailStart = fileSize - tailLength;
  const tail = readDirectoryBytes(fs, archive, tailStart, tailLength);
  if (tail.length !== tailLength) throw cannotRead(archive);
  const end = findEndRecord(tail, tailStart, fileSize, archive);
  if (end.position < end.directorySize) {
    throw new ZipImportError(`bad central directory size: ${pyRepr(archive)}`, { path: archive });
  }
  if (end.position < end.directoryOffset) {
    throw new ZipImportError(`bad central directory offset: ${pyRepr(archive)}`, { path: archive });
  }
  const directoryStart = end.position - end.directorySize;
  const prefixLength = directoryStart - end.directoryOffset;
  if (prefixLength < 0) {
    throw new ZipImportError(`bad central directory size or offset: ${pyRepr(archive)}`, { path: archive });
  }
  // The records run from the directory's start until a foreign signature; the file's end bounds them.
  const window =
    directoryStart >= tailStart
      ? tail.subarray(directoryStart - tailStart)
      : readDirectoryBytes(fs, archive, directoryStart, fileSize - directoryStart);
  const walk = new DirectoryWalk(archive, window, end, prefixLength, fileSize, options);
  return walk.run();
}

/** Drives yauzl over the records and turns its events into zipimport's outcome. */
class DirectoryWalk {
  private readonly files = new Map<string, ZipEntry>();
  private count = 0;
  /** Archive position of the record being read (yauzl's cursor moves past the fixed part first). */
  private recordStart: number;
  private readonly zipFile: yauzl.ZipFile;
  private waiting = false;
  private outcome: { error: unknown } | "done" | null = null;
  private resume: (() => void) | null = null;

  constructor(
    private readonly archive: string,
    private readonly window: Uint8Array,
    private readonly end: EndRecord,
    private readonly prefixLength: number,
    private readonly fileSize: number,
    private readonly options: ReadDirectoryOptions,
  ) {
    this.recordStart = end.directoryOffset;
    const reader = new DirectoryWindowReader(window, end.directoryOffset);
    // Record count Infinity: zipimport reads until a record lacks the signature, whatever the end record says.
    // decodeStrings off: names are decoded as zipimport does, and yauzl's name checks (which would reject
    // the whole archive) are not applied; importkit's finder refuses unsafe names itself.
    this.zipFile = new (
      yauzl.ZipFile as unknown as new (
        ...args: [
          yauzl.RandomAccessReader,
          number,
          number,
          number,
          string,
          boolean,
          boolean,
          boolean,
          boolean,
          boolean,
        ]
      ) => yauzl.ZipFile
    )(
      reader,
      end.directoryOffset,
      end.directoryOffset + window.length,
      Infinity,
      "",
      false,
      true,
      false,
      false,
      false,
    );
    this.zipFile.on("entry", (entry: yauzl.Entry) => this.onEntry(entry));
    this.zipFile.on("error", (error: Error) => this.onError(error));
  }

  run(): Awaitable<ZipDirectory> {
    while (this.outcome === null) {
      this.waiting = true;
      this.zipFile.readEntry();
      if (this.waiting && this.outcome === null) {
        // yauzl went asynchronous (a zero-length read): continue when it reports.
        return new Promise<ZipDirectory>((resolve, reject) => {
          this.resume = () => {
            try {
              Promise.resolve(this.run()).then(resolve, reject);
            } catch (error) {
              reject(error);
            }
          };
        });
      }
    }
    if (this.outcome !== "done") throw this.outcome.error;
    return {
      archive: this.archive,
      files: this.files,
      count: this.count,
      prefixLength: this.prefixLength,
      zip64: this.end.zip64,
      fileSize: this.fileSize,
    };
  }

  private wake(): void {
    this.waiting = false;
    const resume = this.resume;
    this.resume = null;
    resume?.();
  }

  private onEntry(entry: yauzl.Entry): void {
    try {
      this.record(entry);
      this.recordStart = Number(this.zipFile.readEntryCursor);
    } catch (error) {
      this.outcome = { error };
    }
    this.wake();
  }

  private record(entry: yauzl.Entry): void {
    const archive = this.archive;
    if (entry.relativeOffsetOfLocalHeader > this.end.directoryOffset) {
      throw new ZipImportError(`bad local header offset: ${pyRepr(archive)}`, { path: archive });
    }
    const raw = entry.fileName as unknown as Buffer;
    let name: string;
    if (entry.generalPurposeBitFlag & UTF8_FLAG) {
      const decoded = decodeUtf8Strict(raw);
      if (typeof decoded !== "string") throw new UnicodeDecodeError(decoded.message());
      name = decoded;
    } else {
      name = decodeCp437(raw);
    }
    this.files.set(
      name,
      new DirectoryEntry(
        archive,
        name,
        entry.compressionMethod,
        entry.compressedSize,
        entry.uncompressedSize,
        entry.relativeOffsetOfLocalHeader + this.prefixLength,
        entry.lastModFileTime,
        entry.lastModFileDate,
        entry.crc32,
        raw.length,
      ),
    );
    this.count++;
  }

  private onError(error: Error): void {
    this.outcome = { error: this.translate(error) };
    if (this.outcome.error === null) this.outcome = this.stop();
    this.wake();
  }

  /** zipimport's end of the loop: a record without the signature ends the directory. */
  private stop(): "done" | { error: unknown } {
    const { entryCount } = this.end;
    if (this.options.checkEntryCount && this.count !== entryCount) {
      const archive = this.archive;
      return {
        error: new ZipImportError(
          `mismatched num_entries: ${this.count} should be ${entryCount} in ${pyRepr(archive)}`,
          { path: archive },
        ),
      };
    }
    return "done";
  }

  /** yauzl's error as zipimport would have met it; null where zipimport simply stops reading. */
  private translate(error: Error): unknown {
    const archive = this.archive;
    const message = error.message;
    if (message.startsWith("invalid central directory file header signature")) return null;
    if (message === "unexpected EOF") {
      const at = this.recordStart - this.end.directoryOffset;
      const left = this.window.length - at;
      if (left < 4) return new EOFError("EOF read where not expected");
      if (u32(this.window, at) !== SIG_CENTRAL) return null;
      if (left < 46) return new EOFError("EOF read where not expected");
      // The fixed part was read; its name, extra field or comment runs past the end of the file.
      if (!this.options.offsetCheckedAfterName && u32(this.window, at + 42) > this.end.directoryOffset) {
        return new ZipImportError(`bad local header offset: ${pyRepr(archive)}`, { path: archive });
      }
      return cannotRead(archive);
    }
    if (message.startsWith("zip64 extended information extra field")) {
      return new ZipImportError(`can't read header extra: ${pyRepr(archive)}`, {
        path: archive,
        cause: error,
      });
    }
    // What yauzl refuses and zipimport would read past (a malformed extra field, the strong-encryption flag).
    return new ZipImportError(
      `can't read Zip file: ${pyRepr(archive)} (record ${this.count + 1}: ${message})`,
      {
        path: archive,
        cause: error,
      },
    );
  }
}
