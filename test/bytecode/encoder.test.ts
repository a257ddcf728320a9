/** The encoder's choices (CPython's writer rules) and input handling that the properties do not pin down. */
import { describe, expect, it } from "vitest";
import {
  decodeMarshal,
  ELLIPSIS,
  encodeMarshal,
  MarshalDict,
  MarshalError,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSlice,
  type MarshalValue,
  type MarshalVersion,
  readPyc,
  valueJson,
} from "../../src/bytecode/index.js";
import { CORPUS, readBytes } from "./support/corpus.js";

const hexOf = (value: MarshalValue, version: MarshalVersion = 4) =>
  Buffer.from(encodeMarshal(value, { version })).toString("hex");

describe("writer rules", () => {
  it("i for int32, l (15-bit digits) beyond, as w_PyLong", () => {
    expect(hexOf(2 ** 31 - 1)).toBe("69ffffff7f");
    expect(hexOf(-(2 ** 31))).toBe("6900000080");
    expect(hexOf(2 ** 31)).toBe("6c03000000000000000200");
    expect(hexOf(-(2n ** 64n))).toBe("6cfbffffff" + "0000".repeat(4) + "1000");
  });

  it("huge ints encode and decode in linear time", () => {
    const big = 3n ** 600_000n; // ~950k bits, 63k digits
    const t0 = performance.now();
    const bytes = encodeMarshal(-big, { version: 4 });
    expect(decodeMarshal(bytes, { layout: "3.11" }).value).toBe(-big);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("strings: z/a (ASCII, v4+), u (UTF-8), t/Z only for interned names, never t before v3", () => {
    expect(hexOf("ab")).toBe("7a026162");
    expect(hexOf("x".repeat(256)).slice(0, 10)).toBe("6100010000");
    expect(hexOf("é")).toBe("7502000000c3a9");
    expect(hexOf("\udc80")).toBe("7503000000edb280");
    expect(hexOf("ab", 3)).toBe("75020000006162");
  });

  it("code objects: name slots and identifier-like constants interned (Z), other strings not (z)", () => {
    const pyc = readPyc(readBytes(`${CORPUS}/pyc/3.11/functions.pyc`));
    const bytes = Buffer.from(encodeMarshal(pyc.code, { version: 4, layout: "3.11" }));
    const typeOf = (text: string) => {
      const at = bytes.indexOf(Buffer.concat([Buffer.of(text.length), Buffer.from(text)]));
      return String.fromCharCode(bytes[at - 1]! & 0x7f);
    };
    expect(typeOf("<module>")).toBe("Z"); // co_name
    expect(typeOf("src/functions.py")).toBe("z"); // co_filename
    expect(typeOf("outer.<locals>.middle")).toBe("Z"); // co_qualname
  });

  it("tuples: ) below 256 items from v4, ( otherwise", () => {
    expect(hexOf([null], 4)).toBe("29014e");
    expect(hexOf([null], 3)).toBe("28010000004e");
    expect(hexOf(new Array(256).fill(null)).slice(0, 10)).toBe("2800010000");
  });

  it("floats: binary from v2, %.17g text before", () => {
    expect(hexOf(new MarshalFloat(1.5), 2)).toBe("67000000000000f83f");
    expect(hexOf(new MarshalFloat(0.1), 1)).toBe(`6613${Buffer.from("0.10000000000000001").toString("hex")}`);
  });

  it("references from v3: repeated objects are flagged once, then r; none before v3", () => {
    const shared = new MarshalList([]);
    // The tuple occurs once (not flagged), so the list is reference #0.
    expect(hexOf([shared, shared], 3)).toBe("2802000000" + "db00000000" + "7200000000");
    expect(hexOf([shared, shared], 2)).toBe("2802000000" + "5b00000000" + "5b00000000");
    expect(hexOf(["spam", "spam"], 4)).toBe("2902" + "fa047370616d" + "7200000000");
  });

  it("a list may contain itself (v3+), a code object or frozenset may not", () => {
    const list = new MarshalList([]);
    list.items.push(list);
    const back = decodeMarshal(encodeMarshal(list, { version: 3 }), { layout: "3.11" }).value as MarshalList;
    expect(back.items[0]).toBe(back);
    expect(() => encodeMarshal(list, { version: 2 })).toThrow("object too deeply nested to marshal");
    const frozen = new MarshalSet("frozenset", []);
    frozen.items.push([frozen]);
    expect(() => encodeMarshal(frozen, { version: 4 })).toThrow(MarshalError);
  });

  it("refuses what marshal cannot hold", () => {
    expect(() => encodeMarshal(1.5, { version: 4 })).toThrow("unmarshallable object");
    expect(() => encodeMarshal(new MarshalSlice(null, null, null), { version: 4 })).toThrow(
      "unmarshallable object",
    );
    expect(() => encodeMarshal(null, { version: 6 as MarshalVersion })).toThrow(MarshalError);
    const code = readPyc(readBytes(`${CORPUS}/pyc/3.11/empty.pyc`)).code;
    expect(() => encodeMarshal(code, { version: 4, layout: "3.8" })).toThrow("layout 3.11");
  });

  it("dicts end with 0; sets keep their element order", () => {
    expect(hexOf(new MarshalDict([[1, ELLIPSIS]]))).toBe("7b69010000002e30");
    expect(hexOf(new MarshalSet("set", [2, 1]))).toBe("3c02000000" + "6902000000" + "6901000000");
  });
});

describe("input handling", () => {
  it("decodes at an offset inside a view with a non-zero byteOffset", () => {
    const body = encodeMarshal([1, "two", new Uint8Array([3])], { version: 4 });
    const backing = new Uint8Array(body.length + 9);
    backing.set(body, 7);
    const view = backing.subarray(2);
    const { value, end } = decodeMarshal(view, { layout: "3.11", offset: 5 });
    expect(value).toStrictEqual([1, "two", new Uint8Array([3])]);
    expect(end).toBe(5 + body.length);
    expect(() => decodeMarshal(view, { layout: "3.11", offset: view.length + 1 })).toThrow(MarshalError);
  });

  it("copyBytes: bytes values survive changes to the input; views (the default) follow them", () => {
    const input = encodeMarshal([new Uint8Array([1, 2, 3]), new Uint8Array(100).fill(7)], { version: 4 });
    const copied = decodeMarshal(input, { layout: "3.11", copyBytes: true }).value as Uint8Array[];
    const viewed = decodeMarshal(input, { layout: "3.11" }).value as Uint8Array[];
    input.fill(0);
    expect(copied.map((b) => [b[0], b.length])).toEqual([
      [1, 3],
      [7, 100],
    ]);
    expect(viewed.map((b) => b[0])).toEqual([0, 0]);
  });

  it("a cyclic value has no corpus JSON form (TypeError, not a stack overflow)", () => {
    const list = new MarshalList([]);
    list.items.push(list);
    expect(() => valueJson(list)).toThrow(TypeError);
    const shared = [1];
    expect(valueJson([shared, shared])).toEqual({
      tuple: [{ tuple: [{ int: "1" }] }, { tuple: [{ int: "1" }] }],
    });
  });
});
