/**
 * readMemberData / readRawMember: zipimport's `_get_data` — the local header checked, stored and deflated
 * data, CPython's errors and zlib's wording — plus what importkit adds: the CRC-32 check and the
 * decompression limits that keep a bomb from costing memory (the inflater gets maxOutputLength).
 */
import * as zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EOFError, FileNotFoundError, OSError, ZipImportError, ZlibError } from "../../src/core/errors.js";
import { CountingFileSystem } from "../../src/core/fs/counting-fs.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { readZipDirectory, type ZipDirectory, type ZipEntry } from "../../src/zip/central-directory.js";
import {
  DEFAULT_MEMBER_LIMITS,
  type MemberLimits,
  readMemberData,
  readRawMember,
} from "../../src/zip/member-data.js";
import { thrown } from "../support/thrown.js";
import { PYTHON311, pythonJson } from "./support/python.js";
import { buildZip, patched, type RawEntry, setU16, utf8 } from "./support/zip-writer.js";

// The real inflater, watched: the bomb tests check what output bound importkit gives it.
vi.mock("node:zlib", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:zlib")>();
  return { ...real, inflateRawSync: vi.fn(real.inflateRawSync) };
});

const ARCHIVE = "/z/lib.zip";
const NO_CRC: MemberLimits = { ...DEFAULT_MEMBER_LIMITS, checkCrc: false };

function world(entries: readonly RawEntry[], patch?: (layout: ReturnType<typeof buildZip>) => Uint8Array) {
  const layout = buildZip({ entries });
  const bytes = patch ? patch(layout) : layout.bytes;
  const mem = MemFileSystem.fromFiles({ [ARCHIVE]: bytes });
  const fs = new CountingFileSystem(mem);
  const dir = readZipDirectory(fs, ARCHIVE, bytes.length) as ZipDirectory;
  fs.reset();
  const entry = (name: string): ZipEntry => dir.files.get(name)!;
  return { fs, mem, layout, dir, entry };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const SOURCE = "def f():\n    return 'spam' * 3\n".repeat(40);

afterEach(() => {
  vi.mocked(zlib.inflateRawSync).mockClear();
});

describe("readMemberData: reading", () => {
  it("returns stored and deflated members, each with one read of the archive", () => {
    const w = world([
      { name: "stored.py", data: SOURCE },
      { name: "deflated.py", data: SOURCE, method: 8 },
      { name: "empty.py", data: "" },
      { name: "empty-deflated.py", data: "", method: 8 },
    ]);
    expect(w.entry("deflated.py").compressedSize).toBeLessThan(SOURCE.length / 4);
    for (const name of ["stored.py", "deflated.py"]) {
      w.fs.reset();
      expect(text(readMemberData(w.fs, ARCHIVE, w.entry(name)))).toBe(SOURCE);
      expect(w.fs.counts.read).toBe(1);
    }
    expect(readMemberData(w.fs, ARCHIVE, w.entry("empty.py")).length).toBe(0);
    expect(readMemberData(w.fs, ARCHIVE, w.entry("empty-deflated.py")).length).toBe(0);
  });

  it("readRawMember gives the bytes as stored (still deflated)", () => {
    const w = world([{ name: "d.py", data: SOURCE, method: 8 }]);
    const raw = readRawMember(w.fs, ARCHIVE, w.entry("d.py"));
    expect(raw.length).toBe(w.entry("d.py").compressedSize);
    expect(text(zlib.inflateRawSync(raw))).toBe(SOURCE);
  });

  it("inflates any method but 0 as raw deflate, as zipimport does", () => {
    const w = world([{ name: "m.py", data: SOURCE, method: 12 }]);
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("m.py")))).toBe(SOURCE);
  });

  it("reads the data where the local header says it starts, past a local extra field the central record lacks", () => {
    // 200 bytes of local extra field: more than the first read allows for, so the data is read again.
    const localExtra = new Uint8Array(200).fill(0x41);
    const w = world([
      { name: "a.py", data: "A = 1\n", localExtra, centralExtra: new Uint8Array(0) },
      { name: "b.py", data: SOURCE, method: 8, localExtra, centralExtra: new Uint8Array(0) },
      { name: "c.py", data: "C = 3\n", localExtra: new Uint8Array(40), centralExtra: new Uint8Array(0) },
    ]);
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("a.py")))).toBe("A = 1\n");
    expect(w.fs.counts.read).toBe(2);
    w.fs.reset();
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("b.py")))).toBe(SOURCE);
    expect(w.fs.counts.read).toBe(2);
    // A shorter difference fits the first read.
    w.fs.reset();
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("c.py")))).toBe("C = 3\n");
    expect(w.fs.counts.read).toBe(1);
  });

  it("reads the data past a local name longer than the central record's (the local header's lengths rule)", () => {
    const w = world([{ name: "x.py", data: "X = 1\n" }], (layout) => {
      // The local name length says 6: the data starts two bytes later, as CPython computes it.
      return setU16(layout.bytes, layout.localOffsets[0]! + 26, 6);
    });
    // The six bytes from there: the data's last four and the first two of the central directory.
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("x.py"), NO_CRC))).toBe("= 1\nPK");
  });
});

describe("readMemberData: the CRC-32", () => {
  const entries: RawEntry[] = [
    { name: "bad.py", data: "B = 1\n", crc: 0x12345678 },
    { name: "bad-deflated.py", data: SOURCE, method: 8, crc: 0xdeadbeef },
  ];

  it("raises ZipImportError naming both checksums when checked", () => {
    const w = world(entries);
    const actual = zlib.crc32(utf8("B = 1\n")).toString(16).padStart(8, "0");
    const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("bad.py")));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(
      `bad CRC-32 for 'bad.py' in '${ARCHIVE}': 0x${actual}, the archive says 0x12345678`,
    );
    expect((error as ZipImportError).path).toBe(ARCHIVE);
    expect(thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("bad-deflated.py"))).message).toMatch(
      /^bad CRC-32 for 'bad-deflated.py' in '\/z\/lib.zip': 0x[0-9a-f]{8}, the archive says 0xdeadbeef$/,
    );
  });

  it("returns the data unchecked, as CPython does, when checkCrc is off", () => {
    const w = world(entries);
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("bad.py"), NO_CRC))).toBe("B = 1\n");
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("bad-deflated.py"), NO_CRC))).toBe(SOURCE);
  });
});

describe("readMemberData: CPython's errors", () => {
  it("bad local file header: a local header without its signature", () => {
    const w = world([{ name: "a.py", data: "A\n" }], (l) =>
      patched(l.bytes, l.localOffsets[0]!, [0x50, 0x4b, 9, 9]),
    );
    const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("a.py")));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(`bad local file header: '${ARCHIVE}'`);
    expect((error as ZipImportError).path).toBe(ARCHIVE);
  });

  it("EOFError when fewer than 30 bytes are left at the header's offset", () => {
    const w = world([{ name: "a.py", data: "A\n" }]);
    const size = w.mem.stat(ARCHIVE)!.size;
    for (const headerOffset of [size - 29, size, size + 100]) {
      const error = thrown(() => readMemberData(w.fs, ARCHIVE, { ...w.entry("a.py"), headerOffset }));
      expect(error).toBeInstanceOf(EOFError);
      expect(error.message).toBe("EOF read where not expected");
    }
  });

  it('OSError "zipimport: can\'t read data" when the data runs past the end of the file', () => {
    const w = world([{ name: "a.py", data: "A\n" }]);
    const size = w.mem.stat(ARCHIVE)!.size;
    for (const compressedSize of [size, size * 3, 100_000]) {
      const error = thrown(() => readMemberData(w.fs, ARCHIVE, { ...w.entry("a.py"), compressedSize }));
      expect(error).toBeInstanceOf(OSError);
      expect((error as OSError).pyType).toBe("OSError");
      expect(error.message).toBe("zipimport: can't read data");
    }
    // Also on the second read (a long local extra field, then too little data).
    const long = world([
      { name: "b.py", data: "B\n", localExtra: new Uint8Array(300), centralExtra: new Uint8Array(0) },
    ]);
    const entry = { ...long.entry("b.py"), compressedSize: 1000 };
    expect(thrown(() => readMemberData(long.fs, ARCHIVE, entry)).message).toBe("zipimport: can't read data");
  });

  // A corrupt compressed size never becomes a read (or an allocation) past the end of the file: CPython reads
  // short and raises "zipimport: can't read data", and so does importkit, whatever the size.
  it('OSError "zipimport: can\'t read data" for a corrupt compressed size of 2 GiB or more', () => {
    const w = world([{ name: "a.py", data: "A\n" }]);
    for (const compressedSize of [0x80000000, 0xff000010, 0xffffffff]) {
      const error = thrown(() =>
        readMemberData(w.fs, ARCHIVE, { ...w.entry("a.py"), compressedSize }, NO_CRC),
      );
      expect(error).toBeInstanceOf(OSError);
      expect(error.message).toBe("zipimport: can't read data");
    }
  });

  it("FileNotFoundError when the archive is gone", () => {
    const w = world([{ name: "a.py", data: "A\n" }]);
    w.mem.remove(ARCHIVE);
    const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("a.py")));
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect(error.message).toBe(`[Errno 2] No such file or directory: '${ARCHIVE}'`);
  });

  // Raw deflate streams and the message CPython's zlib.decompress(data, -15) raises for each.
  const BAD_DEFLATE: [string, string][] = [
    ["91d8", "Error -5 while decompressing data: incomplete or truncated stream"],
    ["", "Error -5 while decompressing data: incomplete or truncated stream"],
    ["7e", "Error -3 while decompressing data: invalid block type"],
    ["f11ae65107", "Error -3 while decompressing data: invalid stored block lengths"],
    ["8d3b583b", "Error -3 while decompressing data: invalid code lengths set"],
    ["da087a3ebe", "Error -3 while decompressing data: invalid distance code"],
    ["1bc72985d7", "Error -3 while decompressing data: invalid literal/length code"],
    ["83cf2184c78f", "Error -3 while decompressing data: invalid distance too far back"],
    ["9cdf66", "Error -3 while decompressing data: too many length or distance symbols"],
    ["3c2f442e85e6", "Error -3 while decompressing data: invalid bit length repeat"],
  ];

  it("raises zlib.error with CPython's text for a corrupt deflate stream", () => {
    const w = world(
      BAD_DEFLATE.map(([hex], i) => ({
        name: `bad${i}.py`,
        data: "x",
        method: 8,
        stored: Buffer.from(hex, "hex"),
      })),
    );
    BAD_DEFLATE.forEach(([, message], i) => {
      const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry(`bad${i}.py`), NO_CRC));
      expect(error).toBeInstanceOf(ZlibError);
      expect((error as ZlibError).pyType).toBe("error");
      expect(error.message).toBe(message);
    });
  });

  it("ignores bytes after the end of the deflate stream, as zlib.decompress does", () => {
    const stream = zlib.deflateRawSync(Buffer.from(SOURCE));
    const w = world([
      { name: "t.py", data: SOURCE, method: 8, stored: Buffer.concat([stream, Buffer.from("junk")]) },
    ]);
    expect(text(readMemberData(w.fs, ARCHIVE, w.entry("t.py")))).toBe(SOURCE);
  });

  it.skipIf(PYTHON311 === undefined)("words those zlib errors as python3's zlib does", () => {
    const messages = pythonJson<string[]>(
      "import sys, json, zlib\n" +
        "out = []\n" +
        "for h in sys.stdin.read().split(','):\n" +
        "    try: zlib.decompress(bytes.fromhex(h), -15); out.append(None)\n" +
        "    except zlib.error as e: out.append(str(e))\n" +
        "print(json.dumps(out))",
      BAD_DEFLATE.map(([hex]) => hex).join(","),
    );
    expect(messages).toEqual(BAD_DEFLATE.map(([, m]) => m));
  });
});

describe("readMemberData: decompression limits", () => {
  const MiB = 1 << 20;
  /** Raw deflate of `mebibytes` MiB of zeros: one ~1 KB block per MiB (each continues the last), then an empty final block. */
  function zeroBomb(mebibytes: number): Uint8Array {
    const block = zlib.deflateRawSync(Buffer.alloc(MiB), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return new Uint8Array(
      Buffer.concat([...Array.from({ length: mebibytes }, () => block), Buffer.from([3, 0])]),
    );
  }
  const bomb = zeroBomb(1000);

  function bombWorld(compressed: Uint8Array, size: number) {
    return world([{ name: "bomb.py", data: "", method: 8, stored: compressed, size, crc: 0 }]);
  }

  it("refuses a member that inflates past maxSize, never holding more than the limit", () => {
    expect(bomb.length).toBeGreaterThan(1_000_000);
    const w = bombWorld(bomb, 1000 * MiB);
    const limits: MemberLimits = { maxSize: 8 * MiB, maxRatio: 100_000, ratioFloor: MiB, checkCrc: false };
    const started = performance.now();
    const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("bomb.py"), limits));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(
      `'bomb.py' in '${ARCHIVE}' inflates past ${8 * MiB} bytes from ${bomb.length} ` +
        `(limits: ${8 * MiB} bytes, 100000:1 beyond ${MiB} bytes): refused as a decompression bomb`,
    );
    const calls = vi.mocked(zlib.inflateRawSync).mock.calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toMatchObject({ maxOutputLength: 8 * MiB });
  });

  it("refuses a member whose ratio passes maxRatio once it is past ratioFloor", () => {
    const small = zeroBomb(64); // ~66 KB inflating to 64 MiB
    const w = bombWorld(small, 64 * MiB);
    const limits: MemberLimits = { maxSize: 256 * MiB, maxRatio: 50, ratioFloor: MiB, checkCrc: false };
    const error = thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("bomb.py"), limits));
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toContain(`inflates past ${small.length * 50} bytes from ${small.length}`);
    expect(error.message).toContain("50:1 beyond 1048576 bytes");
    expect(vi.mocked(zlib.inflateRawSync).mock.calls[0]![1]).toMatchObject({
      maxOutputLength: small.length * 50,
    });
  });

  it("refuses the 1 GiB bomb with the default limits at the ratio bound, not the 256 MiB one", () => {
    const w = bombWorld(zeroBomb(2), 2 * MiB);
    const tight: MemberLimits = { ...DEFAULT_MEMBER_LIMITS, ratioFloor: 64 * 1024, checkCrc: false };
    // ~2 KB compressed, 200:1 → about 400 KB allowed, far below 2 MiB.
    expect(thrown(() => readMemberData(w.fs, ARCHIVE, w.entry("bomb.py"), tight)).message).toContain(
      "200:1 beyond 65536 bytes",
    );
  });

  it("lets small, highly compressible members through below ratioFloor", () => {
    const text512k = "a".repeat(512 * 1024);
    const w = world([{ name: "aaa.py", data: text512k, method: 8 }]);
    const entry = w.entry("aaa.py");
    expect(entry.size / entry.compressedSize).toBeGreaterThan(DEFAULT_MEMBER_LIMITS.maxRatio);
    expect(readMemberData(w.fs, ARCHIVE, entry).length).toBe(512 * 1024);
    // Without the floor the same member is refused.
    expect(() => readMemberData(w.fs, ARCHIVE, entry, { ...DEFAULT_MEMBER_LIMITS, ratioFloor: 0 })).toThrow(
      /refused as a decompression bomb/,
    );
  });

  it("inflates a member of exactly the allowed size", () => {
    const data = Buffer.alloc(4096, 0x61);
    const w = world([{ name: "edge.py", data, method: 8 }]);
    const limits: MemberLimits = { maxSize: 4096, maxRatio: 1000, ratioFloor: 0, checkCrc: true };
    expect(readMemberData(w.fs, ARCHIVE, w.entry("edge.py"), limits).length).toBe(4096);
    expect(() => readMemberData(w.fs, ARCHIVE, w.entry("edge.py"), { ...limits, maxSize: 4095 })).toThrow(
      ZipImportError,
    );
  });
});
