/**
 * readZipDirectory: zipimport's `_read_directory` over yauzl. Entries and their fields for stored, deflated,
 * zip64, prefixed and commented archives; name decoding (UTF-8 flag, cp437); CPython's errors and messages
 * for files that are not archives or are cut short (each exit of CPython's record loop); the promise yauzl
 * forces for an empty-named record; 3.13's record-count check.
 */
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isPromise } from "../../src/core/awaitable.js";
import { EOFError, UnicodeDecodeError, ZipImportError } from "../../src/core/errors.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import {
  archiveMemberPath,
  type ReadDirectoryOptions,
  readZipDirectory,
  type ZipDirectory,
  type ZipEntry,
} from "../../src/zip/central-directory.js";
import { readMemberData } from "../../src/zip/member-data.js";
import { centralFixed, cutArchive, cutCases } from "./support/cut-directory.js";
import { PYTHON311, pythonJson } from "./support/python.js";
import { buildZip, concat, DEFAULT_DOS, dosFields, setU32, utf8, yazlZip } from "./support/zip-writer.js";

const ARCHIVE = "/z/lib.zip";

function fsWith(bytes: Uint8Array): MemFileSystem {
  return MemFileSystem.fromFiles({ [ARCHIVE]: bytes });
}

function read(bytes: Uint8Array, options?: ReadDirectoryOptions) {
  return readZipDirectory(fsWith(bytes), ARCHIVE, bytes.length, options);
}

/** The directory, whether it came back at once or as a promise. */
async function directory(bytes: Uint8Array, options?: ReadDirectoryOptions): Promise<ZipDirectory> {
  return await read(bytes, options);
}

/** The error reading raises (thrown at once or rejected), or a failure if it succeeds. */
async function failure(bytes: Uint8Array, options?: ReadDirectoryOptions): Promise<Error> {
  try {
    await read(bytes, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error("the directory was read");
}

const names = (dir: ZipDirectory) => [...dir.files.keys()];
const repr = (s: string) => `'${s}'`;

const SHEBANG = utf8("#!/usr/bin/env python3\n");
const JUNK = new Uint8Array(1024).map((_, i) => (i * 37 + 11) & 0xff);
const PREFIX = concat(SHEBANG, JUNK);

const SOURCES = {
  "pkg/": "",
  "pkg/__init__.py": "",
  "pkg/mod.py": "X = 1\n",
  "top.py": "print('top')\n".repeat(20),
};

function sampleEntries(method = 0) {
  return Object.entries(SOURCES).map(([name, data], i) => ({
    name,
    data,
    method: name.endsWith("/") ? 0 : method,
    ...dosFields(2020 + i, 1 + i, 10 + i, 3 * i, 7 * i, 2 * i),
  }));
}

const TOC_FIELDS = [
  "name",
  "path",
  "method",
  "compressedSize",
  "size",
  "headerOffset",
  "dosTime",
  "dosDate",
  "crc32",
  "nameLength",
] as const;

/** The entry's ZipEntry fields alone (`path` is a getter of the directory's own record class). */
const tocFields = (entry: ZipEntry) => Object.fromEntries(TOC_FIELDS.map((k) => [k, entry[k]]));

describe("readZipDirectory: entries", () => {
  it("reads a stored archive synchronously, every toc field in place", () => {
    const layout = buildZip({ entries: sampleEntries() });
    const result = read(layout.bytes);
    expect(isPromise(result)).toBe(false);
    const dir = result as ZipDirectory;
    expect(dir).toMatchObject({ archive: ARCHIVE, count: 4, prefixLength: 0, zip64: false });
    expect(names(dir)).toEqual(Object.keys(SOURCES));
    Object.entries(SOURCES).forEach(([name, data], i) => {
      const bytes = utf8(data);
      expect(tocFields(dir.files.get(name)!)).toEqual({
        name,
        path: `${ARCHIVE}/${name.replace(/\/$/, "")}`,
        method: 0,
        compressedSize: bytes.length,
        size: bytes.length,
        headerOffset: layout.localOffsets[i],
        dosTime: dosFields(2020 + i, 1 + i, 10 + i, 3 * i, 7 * i, 2 * i).dosTime,
        dosDate: dosFields(2020 + i, 1 + i, 10 + i).dosDate,
        crc32: crc32(bytes),
        nameLength: name.length,
      });
    });
  });

  it("reads a deflated archive written by yazl: method 8, both sizes, the CRC of the plain bytes", async () => {
    const bytes = await yazlZip(
      Object.entries(SOURCES).map(([name, data]) => ({
        name,
        data: name.endsWith("/") ? null : utf8(data),
        compress: true,
      })),
    );
    const dir = await directory(bytes);
    const top = dir.files.get("top.py")!;
    expect(top.method).toBe(8);
    expect(top.size).toBe(SOURCES["top.py"].length);
    expect(top.compressedSize).toBeLessThan(top.size);
    expect(top.crc32).toBe(crc32(utf8(SOURCES["top.py"])));
    expect(top).toMatchObject(DEFAULT_DOS);
    expect(new TextDecoder().decode(readMemberData(fsWith(bytes), ARCHIVE, top))).toBe(SOURCES["top.py"]);
    expect(dir.files.get("pkg/")).toMatchObject({ method: 0, size: 0, path: `${ARCHIVE}/pkg` });
  });

  it("reads zip64 archives (yazl forceZip64Format): the zip64 end record and each entry's zip64 extra field", async () => {
    const data = utf8("Z = 64\n".repeat(50));
    const bytes = await yazlZip(
      [
        { name: "a.py", data, compress: true },
        { name: "b/c.py", data: utf8("C = 3\n") },
      ],
      { zip64: true },
    );
    // The classic records hold 0xffffffff: the sizes and offsets come from the zip64 structures.
    const dir = await directory(bytes);
    expect(dir.zip64).toBe(true);
    expect(names(dir)).toEqual(["a.py", "b/c.py"]);
    const a = dir.files.get("a.py")!;
    expect(a).toMatchObject({ size: data.length, headerOffset: 0, method: 8 });
    expect(a.compressedSize).toBeLessThan(0xffff);
    const fs = fsWith(bytes);
    expect(Buffer.from(readMemberData(fs, ARCHIVE, a)).equals(data)).toBe(true);
    expect(new TextDecoder().decode(readMemberData(fs, ARCHIVE, dir.files.get("b/c.py")!))).toBe("C = 3\n");
  });

  it("reads an archive behind a #! line and 1 KiB of junk: prefixLength, and offsets into the file", async () => {
    const plain = buildZip({ entries: sampleEntries(8) });
    const layout = buildZip({ entries: sampleEntries(8), prefix: PREFIX });
    const dir = await directory(layout.bytes);
    expect(dir.prefixLength).toBe(PREFIX.length);
    expect(names(dir)).toEqual(Object.keys(SOURCES));
    Object.keys(SOURCES).forEach((name, i) => {
      expect(dir.files.get(name)!.headerOffset).toBe(layout.localOffsets[i]);
      expect(dir.files.get(name)!.headerOffset).toBe(plain.localOffsets[i]! + PREFIX.length);
    });
    const mod = dir.files.get("pkg/mod.py")!;
    expect(new TextDecoder().decode(readMemberData(fsWith(layout.bytes), ARCHIVE, mod))).toBe("X = 1\n");
  });

  it("reads a prefixed archive whose offsets already count the prefix (prefixLength 0)", async () => {
    const layout = buildZip({ entries: sampleEntries(), prefix: PREFIX, absoluteOffsets: true });
    const dir = await directory(layout.bytes);
    expect(dir.prefixLength).toBe(0);
    expect(dir.files.get("top.py")!.headerOffset).toBe(layout.localOffsets[3]);
  });

  it("reads a yazl archive with bytes prepended (zipapp style)", async () => {
    const bytes = concat(
      PREFIX,
      await yazlZip([{ name: "__main__.py", data: utf8("M = 1\n"), compress: true }]),
    );
    const dir = await directory(bytes);
    expect(dir.prefixLength).toBe(PREFIX.length);
    const main = dir.files.get("__main__.py")!;
    expect(main.headerOffset).toBe(PREFIX.length);
    expect(new TextDecoder().decode(readMemberData(fsWith(bytes), ARCHIVE, main))).toBe("M = 1\n");
  });

  it("finds the end record behind an archive comment, up to the longest (65535 bytes)", async () => {
    for (const length of [1, 1000, 0xffff]) {
      const comment = new Uint8Array(length).fill(0x23);
      const dir = await directory(buildZip({ entries: sampleEntries(), comment }).bytes);
      expect(names(dir)).toEqual(Object.keys(SOURCES));
    }
    const yazlBytes = await yazlZip([{ name: "m.py", data: utf8("") }], { comment: "built by yazl" });
    expect(names(await directory(yazlBytes))).toEqual(["m.py"]);
  });

  it("does not look further back than 65535 + 22 bytes from the end", async () => {
    const bytes = concat(buildZip({ entries: sampleEntries() }).bytes, new Uint8Array(0xffff + 1));
    const error = await failure(bytes);
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(`not a Zip file: ${repr(ARCHIVE)}`);
    // One byte less and the record is just in reach.
    const near = concat(buildZip({ entries: sampleEntries() }).bytes, new Uint8Array(0xffff));
    expect(names(await directory(near))).toEqual(Object.keys(SOURCES));
  });

  it("keeps the later of two records with one name, and counts both", async () => {
    const layout = buildZip({
      entries: [
        { name: "dup.py", data: "V = 1\n" },
        { name: "other.py", data: "" },
        { name: "dup.py", data: "V = 22\n" },
      ],
    });
    const dir = await directory(layout.bytes);
    expect(dir.count).toBe(3);
    expect(dir.files.size).toBe(2);
    expect(names(dir)).toEqual(["dup.py", "other.py"]);
    expect(dir.files.get("dup.py")).toMatchObject({ headerOffset: layout.localOffsets[2], size: 7 });
  });

  it("reads a central directory that ends at a foreign signature before the record count says", async () => {
    const dir = await directory(buildZip({ entries: sampleEntries(), entryCount: 9 }).bytes);
    expect(dir.count).toBe(4);
  });

  it("reads an empty archive (only the end record)", async () => {
    const dir = await directory(buildZip({ entries: [] }).bytes);
    expect(dir).toMatchObject({ count: 0, prefixLength: 0 });
    expect(dir.files.size).toBe(0);
  });
});

describe("readZipDirectory: names", () => {
  it("decodes names flagged UTF-8 as UTF-8", async () => {
    const dir = await directory(
      buildZip({ entries: [{ name: "café/über.py" }, { name: "日本/語.py" }, { name: "emoji/😀.py" }] })
        .bytes,
    );
    expect(names(dir)).toEqual(["café/über.py", "日本/語.py", "emoji/😀.py"]);
    expect(dir.files.get("café/über.py")!.nameLength).toBe(utf8("café/über.py").length);
  });

  // The messages are CPython's (`b'…'.decode()`), checked against python3 below.
  const BAD_UTF8: [number[], string][] = [
    [[0xff, 0x2e, 0x70, 0x79], "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"],
    [
      [0x6d, 0x6f, 0x64, 0xc3, 0x2e, 0x70, 0x79],
      "'utf-8' codec can't decode byte 0xc3 in position 3: invalid continuation byte",
    ],
    [[0x61, 0x62, 0xe2, 0x82], "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data"],
    [
      [0x78, 0xed, 0xa0, 0x80, 0x2e, 0x70, 0x79],
      "'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte",
    ],
    [[0xc0, 0xaf], "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"],
    [[0x6f, 0x6b, 0x80], "'utf-8' codec can't decode byte 0x80 in position 2: invalid start byte"],
  ];

  it("raises CPython's UnicodeDecodeError for a name flagged UTF-8 that is not", async () => {
    for (const [name, message] of BAD_UTF8) {
      const bytes = buildZip({
        entries: [{ name: "ok.py" }, { name: new Uint8Array(name), flags: 0x800 }],
      }).bytes;
      const error = await failure(bytes);
      expect(error).toBeInstanceOf(UnicodeDecodeError);
      expect(error.message).toBe(message);
    }
  });

  it.skipIf(PYTHON311 === undefined)("words those errors as python3 does", () => {
    const messages = pythonJson<string[]>(
      "import sys, json\n" +
        "out = []\n" +
        "for h in sys.stdin.read().split():\n" +
        "    try: bytes.fromhex(h).decode(); out.append(None)\n" +
        "    except UnicodeDecodeError as e: out.append(str(e))\n" +
        "print(json.dumps(out))",
      BAD_UTF8.map(([b]) => Buffer.from(b).toString("hex")).join(" "),
    );
    expect(messages).toEqual(BAD_UTF8.map(([, m]) => m));
  });

  it("decodes names without the flag as ASCII, else as code page 437 (CPython's table)", async () => {
    const raw = [0x63, 0x61, 0x66, 0x82, 0x2f, 0x94, 0x9b, 0x2e, 0x70, 0x79]; // b'caf\x82/\x94\x9b.py'
    const dir = await directory(
      buildZip({
        entries: [
          { name: new Uint8Array(raw) },
          { name: utf8("plain/ascii.py") },
          { name: new Uint8Array([0xe1, 0xff, 0xb0]) },
        ],
      }).bytes,
    );
    expect(names(dir)).toEqual(["café/ö¢.py", "plain/ascii.py", "ß\u00a0░"]);
  });
});

describe("readZipDirectory: CPython's errors", () => {
  const valid = () => buildZip({ entries: sampleEntries() });

  async function zipError(bytes: Uint8Array, message: string): Promise<void> {
    const error = await failure(bytes);
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(message);
    expect((error as ZipImportError).path).toBe(ARCHIVE);
  }

  it("can't read a file shorter than an end record: empty, 10 bytes, 21 bytes", async () => {
    for (const n of [0, 10, 21]) await zipError(new Uint8Array(n), `can't read Zip file: ${repr(ARCHIVE)}`);
  });

  it("is not a Zip file without an end-record signature: garbage, or the record cut before its signature ends", async () => {
    await zipError(JUNK, `not a Zip file: ${repr(ARCHIVE)}`);
    await zipError(utf8("print('hello')\n".repeat(10)), `not a Zip file: ${repr(ARCHIVE)}`);
    const { bytes, endOffset } = valid();
    await zipError(bytes.subarray(0, endOffset + 3), `not a Zip file: ${repr(ARCHIVE)}`);
    await zipError(bytes.subarray(0, endOffset), `not a Zip file: ${repr(ARCHIVE)}`);
  });

  it("is a corrupt Zip file when the last end signature has fewer than 22 bytes after it", async () => {
    const { bytes, endOffset } = valid();
    for (const cut of [endOffset + 4, endOffset + 21]) {
      await zipError(bytes.subarray(0, cut), `corrupt Zip file: ${repr(ARCHIVE)}`);
    }
  });

  it("checks the end record's size and offset against its own position", async () => {
    const { bytes, endOffset, centralStart } = valid();
    await zipError(
      setU32(bytes, endOffset + 12, endOffset + 1),
      `bad central directory size: ${repr(ARCHIVE)}`,
    );
    await zipError(
      setU32(bytes, endOffset + 16, endOffset + 1),
      `bad central directory offset: ${repr(ARCHIVE)}`,
    );
    await zipError(
      setU32(bytes, endOffset + 16, centralStart + 5),
      `bad central directory size or offset: ${repr(ARCHIVE)}`,
    );
    // The archive's head cut off: every offset now points past where the records are.
    await zipError(bytes.subarray(10), `bad central directory size or offset: ${repr(ARCHIVE)}`);
  });

  it("refuses a record whose local header lies beyond the central directory", async () => {
    const { bytes, centralOffsets, centralStart } = valid();
    await zipError(
      setU32(bytes, centralOffsets[2]! + 42, centralStart + 1),
      `bad local header offset: ${repr(ARCHIVE)}`,
    );
    // Exactly at the directory's start is allowed (CPython compares with >).
    const dir = await directory(setU32(bytes, centralOffsets[2]! + 42, centralStart));
    expect(dir.files.get("pkg/mod.py")!.headerOffset).toBe(centralStart);
  });

  // CPython 3.8–3.12 check a record's local-header offset before reading its name, extra field and comment
  // (3.13 after): a record with both faults says "bad local header offset" (also in the differential test).
  it("checks the local-header offset before reading the rest of the record, as 3.8–3.12 do", async () => {
    const record = setU32(centralFixed(10, 0, 0), 42, 0x10000);
    const bytes = cutArchive(concat(new Uint8Array(40), record, utf8("ab")))(48);
    await zipError(bytes, `bad local header offset: ${repr(ARCHIVE)}`);
  });

  it("can't open a missing archive or a directory", async () => {
    const fs = MemFileSystem.fromFiles({ "/z/dir": null });
    for (const path of ["/z/missing.zip", "/z/dir"]) {
      let error: unknown;
      try {
        await readZipDirectory(fs, path, 100);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ZipImportError);
      expect((error as Error).message).toBe(`can't open Zip file: ${repr(path)}`);
    }
  });

  it("can't read the archive when it shrank below the size it was stat'ed with", async () => {
    const { bytes } = valid();
    const fs = fsWith(bytes);
    let error: unknown;
    try {
      await readZipDirectory(fs, ARCHIVE, bytes.length + 10);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe(`can't read Zip file: ${repr(ARCHIVE)}`);
  });

  describe("a central directory that meets the end of the file inside a record (each exit of CPython's loop)", () => {
    for (const c of cutCases()) {
      it(c.label, async () => {
        if ("names" in c.expected) {
          expect(names(await directory(c.bytes))).toEqual(c.expected.names);
          return;
        }
        const error = await failure(c.bytes);
        if (c.expected.error === "EOFError") {
          expect(error).toBeInstanceOf(EOFError);
          expect(error.message).toBe("EOF read where not expected");
        } else {
          expect(error).toBeInstanceOf(ZipImportError);
          expect(error.message).toBe(`can't read Zip file: ${repr(ARCHIVE)}`);
        }
      });
    }
  });
});

describe("readZipDirectory: the asynchronous turn yauzl takes for an empty record", () => {
  it("returns a promise when a record has no name, extra field or comment, and it resolves to the whole table", async () => {
    const layout = buildZip({
      entries: [{ name: "a.py", data: "A = 1\n" }, { name: "" }, { name: "b.py", data: "B" }, { name: "" }],
    });
    const result = read(layout.bytes);
    expect(isPromise(result)).toBe(true);
    const dir = await result;
    expect(dir.count).toBe(4);
    expect(names(dir)).toEqual(["a.py", "", "b.py"]);
    expect(dir.files.get("")).toMatchObject({ path: ARCHIVE, headerOffset: layout.localOffsets[3] });
    expect(dir.files.get("b.py")!.headerOffset).toBe(layout.localOffsets[2]);
  });

  it("rejects the promise with what the rest of the directory raises", async () => {
    const layout = buildZip({ entries: [{ name: "" }, { name: "x.py", headerOffset: 1 << 20 }] });
    const result = read(layout.bytes);
    expect(isPromise(result)).toBe(true);
    await expect(result).rejects.toThrow(`bad local header offset: ${repr(ARCHIVE)}`);
    const withCount = read(buildZip({ entries: [{ name: "" }], entryCount: 2 }).bytes, {
      checkEntryCount: true,
    });
    await expect(withCount).rejects.toThrow("mismatched num_entries: 1 should be 2");
  });

  it("does not go asynchronous for an empty name with an extra field or a comment", () => {
    const bytes = buildZip({
      entries: [
        { name: "", comment: utf8("c") },
        { name: "", centralExtra: new Uint8Array([0xfe, 0xca, 0, 0]) },
      ],
    }).bytes;
    const result = read(bytes);
    expect(isPromise(result)).toBe(false);
    expect((result as ZipDirectory).count).toBe(2);
  });
});

describe("readZipDirectory: the record count (CPython 3.13's check)", () => {
  it("raises mismatched num_entries when the records stop short of the end record's count", async () => {
    const bytes = buildZip({ entries: sampleEntries(), entryCount: 6 }).bytes;
    const error = await failure(bytes, { checkEntryCount: true });
    expect(error).toBeInstanceOf(ZipImportError);
    expect(error.message).toBe(`mismatched num_entries: 4 should be 6 in ${repr(ARCHIVE)}`);
    expect((error as ZipImportError).path).toBe(ARCHIVE);
    const fewer = await failure(buildZip({ entries: sampleEntries(), entryCount: 1 }).bytes, {
      checkEntryCount: true,
    });
    expect(fewer.message).toBe(`mismatched num_entries: 4 should be 1 in ${repr(ARCHIVE)}`);
  });

  it("accepts a matching count, duplicates counted", async () => {
    const bytes = buildZip({ entries: [{ name: "d.py" }, { name: "d.py" }] }).bytes;
    expect((await directory(bytes, { checkEntryCount: true })).count).toBe(2);
  });

  it("leaves cut-short directories to their EOFError", async () => {
    const cut = cutCases().find((c) => c.label === "no byte left")!;
    expect(await failure(cut.bytes, { checkEntryCount: true })).toBeInstanceOf(EOFError);
  });
});

describe("archiveMemberPath", () => {
  it("joins as zipimport's _path_join does", () => {
    expect(archiveMemberPath("/z/a.zip", "pkg/mod.py")).toBe("/z/a.zip/pkg/mod.py");
    expect(archiveMemberPath("/z/a.zip", "pkg/")).toBe("/z/a.zip/pkg");
    expect(archiveMemberPath("/z/a.zip", "")).toBe("/z/a.zip");
    expect(archiveMemberPath("a.zip", "x.py")).toBe("a.zip/x.py");
  });
});
