/**
 * Round trip: random archives (nested names, random or compressible bytes, stored or deflated, random DOS
 * times, bytes before the archive, a comment) written by the test writer or by yazl read back through
 * readZipDirectory with exactly the names, sizes, CRC-32s, times and offsets written, and readMemberData
 * returns each member's bytes (CRC checked).
 */
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { readZipDirectory } from "../../src/zip/central-directory.js";
import { readMemberData } from "../../src/zip/member-data.js";
import { buildZip, concat, dosFields, yazlZip } from "./support/zip-writer.js";

const ARCHIVE = "/w/random.zip";

interface Member {
  readonly name: string;
  /** null: a directory entry. */
  readonly data: Uint8Array | null;
  readonly deflate: boolean;
  readonly time: readonly [number, number, number, number, number, number];
}

const segment = fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,7}$/).filter((s) => s !== "." && s !== "..");
const name = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom("", ".py", ".pyc", "/"))
  .map(([parts, end]) => parts.join("/") + end);

const data = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  // Compressible: a short text repeated.
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 400 }))
    .map(([s, n]) => new TextEncoder().encode(s.repeat(n))),
);

const time = fc.tuple(
  fc.integer({ min: 1980, max: 2107 }),
  fc.integer({ min: 1, max: 12 }),
  fc.integer({ min: 1, max: 28 }),
  fc.integer({ min: 0, max: 23 }),
  fc.integer({ min: 0, max: 59 }),
  fc.integer({ min: 0, max: 29 }).map((h) => h * 2),
);

const members = fc
  .uniqueArray(fc.record({ name, data, deflate: fc.boolean(), time }), {
    minLength: 0,
    maxLength: 12,
    selector: (m) => m.name,
  })
  .map((list): Member[] => list.map((m) => ({ ...m, data: m.name.endsWith("/") ? null : m.data })));

const prefix = fc.option(fc.uint8Array({ minLength: 1, maxLength: 2048 }), { nil: undefined });

const hasEndSignature = (b: Uint8Array) => Buffer.from(b).includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
const comment = fc.option(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).filter((b) => !hasEndSignature(b)),
  { nil: undefined },
);

async function readBack(bytes: Uint8Array) {
  const fs = MemFileSystem.fromFiles({ [ARCHIVE]: bytes });
  return { fs, dir: await readZipDirectory(fs, ARCHIVE, bytes.length) };
}

function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.compare(actual, expected) === 0 ? "same" : `${actual.length} bytes`).toBe("same");
}

describe("zip round trip", () => {
  it("the test writer: every field read back as written", async () => {
    await fc.assert(
      fc.asyncProperty(members, prefix, comment, fc.boolean(), async (list, pre, note, absolute) => {
        const layout = buildZip({
          entries: list.map((m) => ({
            name: m.name,
            data: m.data ?? new Uint8Array(0),
            method: m.deflate && m.data !== null ? 8 : 0,
            ...dosFields(...m.time),
          })),
          ...(pre && { prefix: pre }),
          ...(note && { comment: note }),
          absoluteOffsets: absolute,
        });
        const { fs, dir } = await readBack(layout.bytes);
        expect([...dir.files.keys()]).toEqual(list.map((m) => m.name));
        expect(dir.count).toBe(list.length);
        expect(dir.prefixLength).toBe(absolute ? 0 : (pre?.length ?? 0));
        list.forEach((m, i) => {
          const entry = dir.files.get(m.name)!;
          const bytes = m.data ?? new Uint8Array(0);
          expect(entry).toMatchObject({
            method: m.deflate && m.data !== null ? 8 : 0,
            size: bytes.length,
            crc32: crc32(bytes),
            headerOffset: layout.localOffsets[i],
            ...dosFields(...m.time),
          });
          expectSame(readMemberData(fs, ARCHIVE, entry), bytes);
        });
      }),
      { numRuns: 120 },
    );
  });

  it("yazl: names, sizes, CRC-32s, times and bytes read back", async () => {
    await fc.assert(
      fc.asyncProperty(
        members,
        prefix,
        fc.option(fc.stringMatching(/^[ -~]{1,80}$/)),
        async (list, pre, note) => {
          const dates = list.map(
            (m) => new Date(m.time[0], m.time[1] - 1, m.time[2], m.time[3], m.time[4], m.time[5]),
          );
          const archive = await yazlZip(
            list.map((m, i) => ({ name: m.name, data: m.data, compress: m.deflate, mtime: dates[i]! })),
            note === null ? {} : { comment: note },
          );
          const { fs, dir } = await readBack(pre ? concat(pre, archive) : archive);
          expect([...dir.files.keys()]).toEqual(list.map((m) => m.name));
          expect(dir.prefixLength).toBe(pre?.length ?? 0);
          list.forEach((m, i) => {
            const entry = dir.files.get(m.name)!;
            const bytes = m.data ?? new Uint8Array(0);
            // yazl writes the Date's local fields (whatever the zone, even across a DST gap).
            const d = dates[i]!;
            const fields = dosFields(
              d.getFullYear(),
              d.getMonth() + 1,
              d.getDate(),
              d.getHours(),
              d.getMinutes(),
              d.getSeconds(),
            );
            expect(entry).toMatchObject({ size: bytes.length, crc32: crc32(bytes), ...fields });
            if (m.data !== null) expect(entry.method).toBe(m.deflate ? 8 : 0);
            expectSame(readMemberData(fs, ARCHIVE, entry), bytes);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
