/** Pyc headers: classification as importlib does it (order, exception type, message), reading and writing. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  hashPycHeader,
  MAGIC_TABLE,
  magicBytes,
  PycFormatError,
  readPyc,
  readPycHeader,
  timestampPycHeader,
  validateHashPyc,
  validateTimestampPyc,
  writePyc,
  writePycHeader,
} from "../../src/bytecode/index.js";
import { corpusEntries, readBytes } from "./support/corpus.js";

const MAGIC_311 = 3495;
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

describe("readPycHeader", () => {
  it("reads every corpus pyc header as its dump says", () => {
    for (const entry of corpusEntries().filter((e) => e.kind === "pyc")) {
      const result = readPycHeader(readBytes(entry.path));
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.info.python).toBe(entry.version);
      const dump = JSON.parse(readFileSync(entry.path.replace(/\.pyc$/, ".json"), "utf8")).header;
      expect(result.header.size).toBe(dump.size);
      expect(result.header.magic).toBe(dump.magic_int);
      if (result.header.hashBased) {
        expect(Buffer.from(result.header.sourceHash).toString("hex")).toBe(dump.source_hash);
        expect(result.header.checkSource).toBe(dump.check_source);
      } else {
        expect([result.header.mtime, result.header.sourceSize]).toEqual([dump.mtime, dump.source_size]);
      }
    }
  });

  it("bad magic first (ImportError, importlib's message with the bytes repr), even for short data", () => {
    const r = readPycHeader(Uint8Array.of(0, 0), { name: "m" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(PycFormatError);
    expect([r.error.problem, r.error.pythonType, r.error.reason]).toEqual([
      "bad-magic",
      "ImportError",
      "bad magic number in 'm': b'\\x00\\x00'",
    ]);
    const other = readPycHeader(cat(magicBytes(3413), new Uint8Array(12)), {
      name: "m",
      expectedMagic: MAGIC_311,
    });
    expect(other.ok ? "" : other.error.reason).toBe("bad magic number in 'm': b'U\\r\\r\\n'");
  });

  it("rejects magics of no final release (pre-release layouts differ)", () => {
    const r = readPycHeader(cat(magicBytes(3450), new Uint8Array(12)));
    expect(r.ok ? "" : r.error.problem).toBe("bad-magic");
  });

  it("short header: EOFError with importlib's message (3.7+ and the two 3.6 ones)", () => {
    const r = readPycHeader(cat(magicBytes(MAGIC_311), new Uint8Array(5)), { name: "m" });
    expect(r.ok ? [] : [r.error.pythonType, r.error.reason]).toEqual([
      "EOFError",
      "reached EOF while reading pyc header of 'm'",
    ]);
    const t = readPycHeader(cat(magicBytes(3379), new Uint8Array(2)));
    expect(t.ok ? "" : t.error.reason).toBe("reached EOF while reading timestamp in '<bytecode>'");
    const s = readPycHeader(cat(magicBytes(3379), new Uint8Array(6)));
    expect(s.ok ? "" : s.error.reason).toBe("reached EOF while reading size of source in '<bytecode>'");
  });

  it("invalid flags: ImportError", () => {
    const r = readPycHeader(cat(magicBytes(MAGIC_311), u32(4), new Uint8Array(8)), { name: "m" });
    expect(r.ok ? [] : [r.error.problem, r.error.pythonType, r.error.reason]).toEqual([
      "invalid-flags",
      "ImportError",
      "invalid flags 4 in 'm'",
    ]);
  });

  it("readPyc throws the same error", () => {
    expect(() => readPyc(Uint8Array.of(1, 2, 3, 4))).toThrow(PycFormatError);
  });
});

describe("writing headers and pycs", () => {
  it("timestamp and hash headers round-trip for every release (3.6: 12 bytes, no hash)", () => {
    for (const { magic, headerSize } of MAGIC_TABLE) {
      const ts = timestampPycHeader(magic, 1700000000, 2125);
      const bytes = writePycHeader(ts);
      expect(bytes.length).toBe(headerSize);
      const back = readPycHeader(bytes);
      expect(back.ok && back.header).toEqual(ts);
      if (headerSize === 12) {
        expect(() => hashPycHeader(magic, new Uint8Array(8))).toThrow(PycFormatError);
        continue;
      }
      for (const check of [true, false]) {
        const hash = hashPycHeader(magic, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), check);
        const hb = writePycHeader(hash);
        expect(new DataView(hb.buffer).getUint32(4, true)).toBe(check ? 3 : 1);
        const read = readPycHeader(hb);
        expect(read.ok && read.header).toEqual(hash);
      }
    }
  });

  it("mtime and size are stored mod 2**32, as importlib does", () => {
    const h = timestampPycHeader(MAGIC_311, 2 ** 32 + 5, -1);
    expect([h.mtime, h.sourceSize]).toEqual([5, 2 ** 32 - 1]);
  });

  it("writePyc = header + marshal at the release's version (a pyc written by importkit reads back)", () => {
    const written = writePyc(null, timestampPycHeader(3627, 1, 2));
    expect(Buffer.from(written).toString("hex")).toBe(
      "2b0e0d0a" + "00000000" + "01000000" + "02000000" + "4e",
    );
    expect(readPyc(written, { trailing: "error" }).code).toBe(null);
  });
});

describe("staleness checks", () => {
  it("timestamp: mtime and size, each mod 2**32; size null skips its check", () => {
    const h = timestampPycHeader(MAGIC_311, 100, 7);
    expect(validateTimestampPyc(h, 100.9, 7)).toBeNull();
    expect(validateTimestampPyc(h, 101, 7, "m")).toBe("bytecode is stale for 'm'");
    expect(validateTimestampPyc(h, 100, 8)).toBe("bytecode is stale for '<bytecode>'");
    expect(validateTimestampPyc(h, 100, null)).toBeNull();
    expect(validateTimestampPyc(timestampPycHeader(MAGIC_311, 100, 0), 2 ** 32 + 100, 2 ** 32)).toBeNull();
  });

  it("hash: the 8 header bytes must equal the source hash", () => {
    const h = hashPycHeader(MAGIC_311, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(validateHashPyc(h, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toBeNull();
    expect(validateHashPyc(h, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9), "m")).toBe(
      "hash in bytecode doesn't match hash of source 'm'",
    );
  });
});

describe("magic table", () => {
  it("agrees with the version profiles in data/profiles", () => {
    const dir = new URL("../../data/profiles/", import.meta.url).pathname;
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const profile = JSON.parse(readFileSync(dir + file, "utf8")) as {
        version: string;
        magic_number: string;
        magic_number_int: number;
      };
      const minor = profile.version.split(".").slice(0, 2).join(".");
      const entry = MAGIC_TABLE.find((m) => m.python === minor);
      expect(entry?.magic, file).toBe(profile.magic_number_int);
      expect(Buffer.from(magicBytes(profile.magic_number_int)).toString("hex")).toBe(profile.magic_number);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it("agrees with the corpus manifests (3.6–3.14)", () => {
    for (const m of MAGIC_TABLE) {
      const manifest = JSON.parse(
        readFileSync(new URL(`../fixtures/corpus/pyc/${m.python}/MANIFEST.json`, import.meta.url), "utf8"),
      ) as { magic_number: string; marshal_version: number };
      expect(Buffer.from(magicBytes(m.magic)).toString("hex")).toBe(manifest.magic_number);
      expect(m.marshalVersion).toBe(manifest.marshal_version);
    }
  });
});
