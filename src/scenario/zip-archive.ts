/**
 * Writing a scenario's zip archive as the oracle's `build_zip` does with Python's zipfile: entries in the
 * order given, DOS timestamps from each entry's mtime read in UTC, no extra fields.
 */

export interface ZipArchiveEntry {
  /** The entry name; a directory entry's ends with "/". */
  readonly name: string;
  /** null for a directory entry. */
  readonly data: Uint8Array | null;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

// The modes the oracle writes into external_attr (zipimport ignores them; kept for fidelity).
const FILE_MODE = 0o100644;
const DIR_MODE = 0o40755;

/** Everything a yazl ZipFile writes, once it has been ended. */
export function zipFileBytes(zip: import("yazl").ZipFile): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  return new Promise<Uint8Array>((resolve, reject) => {
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    zip.outputStream.on("error", reject);
  });
}

/** The archive's bytes; `deflate` compresses file entries (directory entries are always stored). */
export async function writeZipArchive(
  entries: readonly ZipArchiveEntry[],
  deflate: boolean,
): Promise<Uint8Array> {
  // Loaded on demand: only scenarios with zip contents need yazl.
  const { default: yazl } = await import("yazl");
  const zip = new yazl.ZipFile();
  const done = zipFileBytes(zip);
  for (const entry of entries) {
    // The extended-timestamp extra field is left out (forceDosTimestamp): Python's zipfile writes none.
    const common = { mtime: dosFieldsDate(entry.mtime), forceDosTimestamp: true };
    if (entry.data === null) {
      zip.addEmptyDirectory(entry.name, { ...common, mode: DIR_MODE });
    } else {
      zip.addBuffer(Buffer.from(entry.data), entry.name, { ...common, mode: FILE_MODE, compress: deflate });
    }
  }
  zip.end();
  return done;
}

/**
 * yazl encodes a Date's *local* fields; the oracle writes the mtime's UTC fields (`time.gmtime`). A local Date
 * whose fields are the UTC ones makes yazl write what the oracle writes, whatever the process time zone.
 */
function dosFieldsDate(mtimeSeconds: number): Date {
  const utc = new Date(Math.floor(mtimeSeconds) * 1000);
  return new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
}
