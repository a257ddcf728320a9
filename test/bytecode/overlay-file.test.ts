/** The overlay file format: build → read round trips, read counts, hostile input, hasOverlayDirectory. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildLinearOverlayFile,
  buildOverlayPyc,
  encodeMarshal,
  findLinearOverlay,
  hasOverlayDirectory,
  layoutForPython,
  MarshalError,
  magicForPython,
  makeCodeObject,
  OverlayFormatError,
  type OverlayName,
  type OverlayRead,
  readOverlayCode,
  readOverlayDirectory,
  timestampPycHeader,
  writePycHeader,
} from "../../src/bytecode/index.js";

const HEADER = writePycHeader(timestampPycHeader(magicForPython("3.11")!.magic, 0, 0));
const code = (n: number, fill = n & 0xff) => new Uint8Array(n).fill(fill);

/** A read callback over `file` that records its calls. */
function reader(file: Uint8Array) {
  const calls: [number, number][] = [];
  const read: OverlayRead = (position, length) => {
    calls.push([position, length]);
    return file.slice(position, position + length);
  };
  return { read, calls };
}

function build(overlays: { name: OverlayName; code: Uint8Array }[], module = code(100, 0xaa)) {
  const file = buildOverlayPyc({ header: HEADER, module, overlays });
  return { file, moduleEnd: HEADER.length + module.length };
}

describe("buildOverlayPyc / readOverlayDirectory", () => {
  it("writes the documented bytes", () => {
    const file = buildOverlayPyc({
      header: Uint8Array.of(1, 2),
      module: Uint8Array.of(0x4e),
      overlays: [
        { name: "a", code: Uint8Array.of(0x4e, 0x4e) },
        { name: 7, code: Uint8Array.of(0x54) },
      ],
    });
    expect(Buffer.from(file).toString("hex")).toBe(
      [
        "0102", // header
        "4e", // module code
        "4e4e", // overlay 'a' at 3
        "54", // overlay 7 at 5
        "02000000", // count, directory at 6
        "7a0161",
        "03000000", // 'a' (short ascii), offset 3
        "6907000000",
        "05000000", // 7 (int), offset 5
        "06000000", // directory start
      ].join(""),
    );
  });

  it("round trips 0, 1 and many overlays, with offsets and ends", () => {
    for (const count of [0, 1, 2, 10, 300]) {
      const overlays = Array.from({ length: count }, (_, i) => ({
        name: (i % 3 === 0 ? `o${i}` : i % 3 === 1 ? i : [`t${i}`, i]) as OverlayName,
        code: code(1 + ((i * 37) % 90), i),
      }));
      const { file, moduleEnd } = build(overlays);
      const dir = readOverlayDirectory((p, l) => file.subarray(p, p + l), file.length, "m.pyc", moduleEnd);
      expect(dir.entries.map((e) => e.name)).toEqual(overlays.map((o) => o.name));
      expect(hasOverlayDirectory(file, moduleEnd)).toBe(true);
      let at = moduleEnd;
      for (const [i, entry] of dir.entries.entries()) {
        expect(entry.offset).toBe(at);
        at += overlays[i]!.code.length;
        expect(entry.end).toBe(at);
        expect(readOverlayCode(dir, entry, () => file.slice(entry.offset, entry.end))).toEqual(
          overlays[i]!.code,
        );
        expect(dir.lookup(overlays[i]!.name)).toBe(entry);
      }
      expect(dir.start).toBe(at);
      expect(dir.lookup("missing")).toBeUndefined();
    }
  });

  it("lookup uses Python equality and ignores invalid names", () => {
    const { file } = build([
      { name: 5, code: code(3) },
      { name: ["a", 1], code: code(3) },
    ]);
    const dir = readOverlayDirectory((p, l) => file.subarray(p, p + l), file.length);
    expect(dir.lookup(5n)?.offset).toBe(dir.entries[0]!.offset);
    expect(dir.lookup(["a", 1n])?.offset).toBe(dir.entries[1]!.offset);
    expect(dir.lookup("5")).toBeUndefined();
    expect(dir.lookup(null)).toBeUndefined();
  });

  it("names written at marshal version 5 or 2 read back", () => {
    for (const marshalVersion of [2, 5]) {
      const file = buildOverlayPyc({
        header: HEADER,
        module: code(9),
        overlays: [{ name: ["x", "x", 2n ** 70n], code: code(4) }],
        marshalVersion,
      });
      const dir = readOverlayDirectory((p, l) => file.subarray(p, p + l), file.length);
      expect(dir.entries[0]!.name).toEqual(["x", "x", 2n ** 70n]);
    }
  });

  it("rejects invalid, reserved and duplicate names and empty code at build time", () => {
    const bad: { name: OverlayName; code: Uint8Array }[][] = [
      [{ name: 1.5 as unknown as OverlayName, code: code(1) }],
      [{ name: null, code: code(1) }],
      [{ name: true, code: code(1) }],
      [{ name: [Uint8Array.of(1)], code: code(1) }],
      [{ name: "__x", code: code(1) }],
      [
        { name: 1, code: code(1) },
        { name: 1n, code: code(1) },
      ],
      [{ name: "x", code: new Uint8Array(0) }],
    ];
    for (const overlays of bad) expect(() => build(overlays)).toThrow(OverlayFormatError);
  });
});

describe("read counts", () => {
  it("directory in the tail: one read; code inside the tail: no read; else one", () => {
    const { file } = build([
      { name: "far", code: code(10_000) },
      { name: "near", code: code(50) },
    ]);
    const { read, calls } = reader(file);
    const dir = readOverlayDirectory(read, file.length);
    expect(calls).toEqual([[file.length - 4096, 4096]]);
    const near = readOverlayCode(dir, dir.lookup("near")!, read);
    expect(near).toEqual(code(50));
    expect(calls.length).toBe(1);
    expect(readOverlayCode(dir, dir.lookup("far")!, read)).toEqual(code(10_000));
    expect(calls.length).toBe(2);
  });

  it("a small file is read once, whole", () => {
    const { file } = build([{ name: "a", code: code(20) }]);
    const { read, calls } = reader(file);
    const dir = readOverlayDirectory(read, file.length);
    readOverlayCode(dir, dir.entries[0]!, read);
    expect(calls).toEqual([[0, file.length]]);
  });

  it("a directory larger than 4 KiB: two reads, then at most one per code (three at worst)", () => {
    const overlays = Array.from({ length: 1000 }, (_, i) => ({
      name: `overlay_number_${i}`,
      code: code(30, i),
    }));
    const { file } = build(overlays);
    const { read, calls } = reader(file);
    const dir = readOverlayDirectory(read, file.length);
    expect(file.length - dir.start).toBeGreaterThan(4096 * 4);
    expect(calls.length).toBe(2);
    expect(calls[1]).toEqual([dir.start, file.length - 4096 - dir.start]);
    expect(dir.entries.length).toBe(1000);
    for (const [i, o] of overlays.entries()) {
      const before = calls.length;
      expect(readOverlayCode(dir, dir.lookup(o.name)!, read)).toEqual(o.code);
      expect(calls.length - before).toBe(1);
      if (i === 999) expect(calls.length).toBe(3 + 999);
    }
  });

  it("every overlay of a random file costs at most three reads from scratch", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 3000 })), {
          maxLength: 40,
        }),
        (spec) => {
          const seen = new Set<string>();
          const overlays = spec
            .filter(([n]) => !n.startsWith("__") && !seen.has(n) && seen.add(n))
            .map(([name, n]) => ({ name, code: code(n) }));
          const { file, moduleEnd } = build(overlays);
          expect(hasOverlayDirectory(file, moduleEnd)).toBe(true);
          for (const o of overlays) {
            const { read, calls } = reader(file);
            const dir = readOverlayDirectory(read, file.length, undefined, moduleEnd);
            expect(calls.length).toBeLessThanOrEqual(2);
            expect(readOverlayCode(dir, dir.lookup(o.name)!, read)).toEqual(o.code);
            expect(calls.length).toBeLessThanOrEqual(3);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("hostile input", () => {
  const dirError = (file: Uint8Array, moduleEnd?: number): OverlayFormatError => {
    try {
      readOverlayDirectory((p, l) => file.subarray(p, p + l), file.length, "h.pyc", moduleEnd);
    } catch (e) {
      expect(e).toBeInstanceOf(OverlayFormatError);
      return e as OverlayFormatError;
    }
    throw new Error("no error");
  };
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
  const base = cat(HEADER, code(20)); // module ends at 36

  it("names each problem", () => {
    const cases: [Uint8Array, RegExp][] = [
      [cat(base, u32(0), u32(9999)), /directory offset 9999 outside the file/],
      [cat(base, u32(0), u32(5)), /before the module's end/],
      [cat(base, u32(1000), u32(36)), /count 1000 larger than the directory holds/],
      [cat(base, code(4), u32(1), Uint8Array.of(0x7a, 1, 0x61), u32(2), u32(40)), /before the module's end/],
      [cat(base, code(4), u32(1), Uint8Array.of(0x7a, 1, 0x61), u32(44), u32(40)), /overlaps the directory/],
      [
        cat(
          base,
          code(4),
          u32(2),
          Uint8Array.of(0x7a, 1, 0x61),
          u32(38),
          Uint8Array.of(0x7a, 1, 0x62),
          u32(37),
          u32(40),
        ),
        /out of order/,
      ],
      [
        cat(
          base,
          code(4),
          u32(2),
          Uint8Array.of(0x7a, 1, 0x61),
          u32(36),
          Uint8Array.of(0x7a, 1, 0x61),
          u32(38),
          u32(40),
        ),
        /duplicate overlay name 'a'/,
      ],
      [
        cat(base, code(4), u32(1), Uint8Array.of(0x67, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f), u32(36), u32(40)),
        /invalid overlay name/,
      ],
      [
        cat(base, code(4), u32(1), Uint8Array.of(0x7a, 2, 0x5f, 0x5f), u32(36), u32(40)),
        /reserved overlay name '__'/,
      ],
      [cat(base, code(4), u32(1), Uint8Array.of(0x7a, 9, 0x61), u32(36), u32(40)), /bad overlay name/],
      [
        cat(base, code(4), u32(1), Uint8Array.of(0x7a, 3, 0x61, 0x62, 0x63), Uint8Array.of(36), u32(40)),
        /truncated/,
      ],
      [cat(base, code(4), u32(1), Uint8Array.of(0x7a, 1, 0x61), u32(36), Uint8Array.of(0), u32(40)), /stray/],
      [Uint8Array.of(1, 2, 3), /too short/],
    ];
    for (const [file, pattern] of cases) expect(dirError(file).reason).toMatch(pattern);
    const e = dirError(cat(base, u32(0), u32(9999)));
    expect([e.filename, e.offset]).toEqual(["h.pyc", base.length + 4]);
  });

  it("checks the module's end when given", () => {
    const { file, moduleEnd } = build([{ name: "a", code: code(5) }]);
    expect(dirError(file, moduleEnd + 1).reason).toMatch(/before the module's end|not the module's end/);
    expect(dirError(file, moduleEnd - 1).reason).toMatch(/not the module's end/);
    const empty = build([]);
    expect(
      readOverlayDirectory((p, l) => empty.file.subarray(p, p + l), empty.file.length, "", empty.moduleEnd)
        .entries,
    ).toEqual([]);
    expect(dirError(empty.file, empty.moduleEnd - 1).reason).toMatch(/does not start at the module's end/);
  });

  it("a short read is an OverlayFormatError", () => {
    const { file } = build([{ name: "a", code: code(5) }]);
    expect(() => readOverlayDirectory(() => new Uint8Array(3), file.length)).toThrow(OverlayFormatError);
    const dir = readOverlayDirectory((p, l) => file.subarray(p, p + l), file.length);
    const fake = { ...dir, tail: { position: file.length, bytes: new Uint8Array(0) } };
    expect(() => readOverlayCode(fake, dir.entries[0]!, () => new Uint8Array(1))).toThrow(OverlayFormatError);
  });

  it("mutated files fail only with OverlayFormatError, and never read outside the file", () => {
    const { file, moduleEnd } = build(
      Array.from({ length: 30 }, (_, i) => ({
        name: (i % 2 ? [`n${i}`, i] : `name${i}`) as OverlayName,
        code: code(150, i),
      })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 64 }),
        fc.boolean(),
        (edits, cut, useEnd) => {
          const bytes = file.slice(0, file.length - (cut % 3 === 0 ? cut : 0));
          for (const [at, value] of edits) {
            // Bias mutations towards the directory at the end.
            const i = at % 2 ? bytes.length - 1 - (at % Math.min(bytes.length, 400)) : at % bytes.length;
            bytes[i] = value;
          }
          const read: OverlayRead = (p, l) => {
            expect(p >= 0 && l >= 0 && p + l <= bytes.length).toBe(true);
            return bytes.subarray(p, p + l);
          };
          try {
            const dir = readOverlayDirectory(read, bytes.length, "m.pyc", useEnd ? moduleEnd : undefined);
            for (const entry of dir.entries) readOverlayCode(dir, entry, read);
            expect(hasOverlayDirectory(bytes, moduleEnd)).toBe(
              dir.entries.length > 0 ? dir.entries[0]!.offset === moduleEnd : dir.start === moduleEnd,
            );
          } catch (e) {
            if (!(e instanceof OverlayFormatError)) throw e;
            if (useEnd) expect(hasOverlayDirectory(bytes, moduleEnd)).toBe(false);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("random bytes fail only with OverlayFormatError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          readOverlayDirectory((p, l) => bytes.subarray(p, p + l), bytes.length);
        } catch (e) {
          if (!(e instanceof OverlayFormatError)) throw e;
        }
        expect(typeof hasOverlayDirectory(bytes, 13)).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("hasOverlayDirectory", () => {
  it("is false for a plain pyc and trailing junk, true for an overlay pyc", () => {
    const module = code(40);
    const plain = Uint8Array.from(Buffer.concat([HEADER, module]));
    expect(hasOverlayDirectory(plain, plain.length)).toBe(false);
    expect(hasOverlayDirectory(Uint8Array.from(Buffer.concat([plain, code(12, 0xff)])), plain.length)).toBe(
      false,
    );
    const { file, moduleEnd } = build([], module);
    expect(file.length).toBe(moduleEnd + 8);
    expect(hasOverlayDirectory(file, moduleEnd)).toBe(true);
    expect(hasOverlayDirectory(file, moduleEnd + 1)).toBe(false);
    expect(hasOverlayDirectory(file, -1)).toBe(false);
    expect(hasOverlayDirectory(file, Number.NaN)).toBe(false);
  });
});

describe("linear layout (benchmark baseline)", () => {
  const layout = layoutForPython("3.11")!;
  const realCode = (name: string, size: number) =>
    encodeMarshal(
      makeCodeObject({
        layout,
        argcount: 0,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: 0,
        stacksize: 1,
        flags: 0,
        code: new Uint8Array(size),
        consts: [null],
        names: [],
        varnames: [],
        freevars: [],
        cellvars: [],
        localsplusnames: [],
        localspluskinds: new Uint8Array(0),
        filename: "m.py",
        name,
        qualname: name,
        firstlineno: 1,
        linetable: new Uint8Array(0),
        exceptiontable: new Uint8Array(0),
      } as Parameters<typeof makeCodeObject>[0]),
      { version: 4, layout },
    );

  it("finds each overlay by scanning, reading as it goes", () => {
    const module = realCode("<module>", 10);
    const overlays = Array.from({ length: 20 }, (_, i) => ({
      name: [`o`, i] as OverlayName,
      code: realCode(`o${i}`, 2000),
    }));
    const file = buildLinearOverlayFile({ header: HEADER, module, overlays });
    const moduleEnd = HEADER.length + module.length;
    for (const i of [0, 7, 19]) {
      const { read, calls } = reader(file);
      expect(findLinearOverlay(read, file.length, moduleEnd, ["o", i])).toEqual(overlays[i]!.code);
      expect(calls.length).toBeGreaterThanOrEqual(2);
      if (i === 19) expect(calls.length).toBeGreaterThan(3);
    }
    expect(findLinearOverlay(reader(file).read, file.length, moduleEnd, "nope")).toBeUndefined();
    // Truncated: a marshal EOF error surfaces.
    expect(() =>
      findLinearOverlay(reader(file.slice(0, -5)).read, file.length - 5, moduleEnd, "nope"),
    ).toThrow(MarshalError);
  });
});
