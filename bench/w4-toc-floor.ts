/**
 * W4's floor for opening and indexing an archive in a fresh Node process: the least work any JavaScript
 * reader could do — one read of the file's tail, then a loop over the central-directory records with
 * Buffer's own integer reads, names as Latin-1, one plain object per record in a Map. No yauzl, no
 * checks, no prefix handling, no zip64. It is timed as the first thing the process does, as the replay's
 * `toc_cold_ns` is, so it shows what a cold process costs before importkit's code is involved (the
 * interpreter tier and the young generation's first scavenges).
 *
 *   node --import tsx bench/w4-toc-floor.ts [--profile P] ZIP   →   {"toc_cold_ns": N, "toc_entries": N}
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const SIG_CENTRAL = 0x02014b50;
const TAIL = 0xffff + 22;

interface FloorEntry {
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
  dosTime: number;
  dosDate: number;
}

function readTable(zip: string): Map<string, FloorEntry> {
  const fd = openSync(zip, "r");
  let tail: Buffer;
  let tailStart: number;
  try {
    const fileSize = fstatSync(fd).size;
    const length = Math.min(fileSize, TAIL);
    tailStart = fileSize - length;
    tail = Buffer.allocUnsafe(length);
    if (readSync(fd, tail, 0, length, tailStart) !== length) throw new Error(`${zip}: short read`);
  } finally {
    closeSync(fd);
  }
  const end = tail.length - 22; // the archives W4 builds have no comment
  const directorySize = tail.readUInt32LE(end + 12);
  let at = end - directorySize;
  if (at < 0)
    throw new Error(`${zip}: the directory does not fit the tail read; the floor covers W4's archives only`);
  const files = new Map<string, FloorEntry>();
  while (at + 46 <= tail.length && tail.readUInt32LE(at) === SIG_CENTRAL) {
    const nameLength = tail.readUInt16LE(at + 28);
    const skip = tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
    files.set(tail.toString("latin1", at + 46, at + 46 + nameLength), {
      method: tail.readUInt16LE(at + 10),
      crc32: tail.readUInt32LE(at + 16),
      compressedSize: tail.readUInt32LE(at + 20),
      size: tail.readUInt32LE(at + 24),
      headerOffset: tail.readUInt32LE(at + 42),
      dosTime: tail.readUInt16LE(at + 12),
      dosDate: tail.readUInt16LE(at + 14),
    });
    at += 46 + nameLength + skip;
  }
  return files;
}

const args = process.argv.slice(2).filter((a, i, all) => a !== "--profile" && all[i - 1] !== "--profile");
if (args.length !== 1) throw new Error("usage: node --import tsx bench/w4-toc-floor.ts [--profile P] ZIP");
const started = process.hrtime.bigint();
const table = readTable(args[0]!);
const elapsed = Number(process.hrtime.bigint() - started);
console.log(JSON.stringify({ toc_cold_ns: elapsed, toc_entries: table.size }));
