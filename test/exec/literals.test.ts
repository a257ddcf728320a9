import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pyRepr } from "../../src/core/values.js";
import {
  decodeNumber,
  decodeStringLiteral,
  LiteralNotSupported,
  LiteralSyntaxError,
} from "../../src/exec/literals.js";
import { bytesRepr, floatRepr } from "../../src/exec/repr.js";

const str = (token: string): string => {
  const decoded = decodeStringLiteral(token);
  if (decoded.kind !== "str") throw new Error("expected str");
  return decoded.value;
};
const bytes = (token: string): number[] => {
  const decoded = decodeStringLiteral(token);
  if (decoded.kind !== "bytes") throw new Error("expected bytes");
  return [...decoded.value];
};

describe("number literals", () => {
  it.each([
    ["0", 0n],
    ["00", 0n],
    ["0_0", 0n],
    ["42", 42n],
    ["1_000_000", 1000000n],
    ["0x_Ff", 255n],
    ["0o17", 15n],
    ["0B1_0", 2n],
    ["12345678901234567890", 12345678901234567890n],
  ])("int %s", (text, value) => {
    expect(decodeNumber(text)).toBe(value);
  });

  it.each([
    ["1.5", 1.5],
    ["1.", 1],
    [".5", 0.5],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["1_0.0_1", 10.01],
    ["09.5", 9.5],
    ["1e400", Number.POSITIVE_INFINITY],
  ])("float %s", (text, value) => {
    const decoded = decodeNumber(text);
    expect(typeof decoded).toBe("number");
    expect(decoded).toBe(value);
  });

  it.each([
    [
      "0123",
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
    ],
    [
      "0_1",
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
    ],
    ["1__0", "invalid decimal literal"],
    ["1_", "invalid decimal literal"],
    ["1e_5", "invalid decimal literal"],
    ["0x", "invalid hexadecimal literal"],
    ["0o8", "invalid digit '8' in octal literal"],
    ["0b2", "invalid digit '2' in binary literal"],
  ])("rejects %s as CPython does", (text, message) => {
    expect(() => decodeNumber(text)).toThrow(new LiteralSyntaxError(message));
  });

  it("applies CPython's 4300-digit limit to decimal ints only", () => {
    expect(() => decodeNumber("1".repeat(4301))).toThrow(
      /Exceeds the limit \(4300 digits\).*value has 4301 digits/,
    );
    expect(decodeNumber("1".repeat(4300))).toBe(BigInt("1".repeat(4300)));
    expect(decodeNumber(`0x${"f".repeat(5000)}`)).toBe(BigInt(`0x${"f".repeat(5000)}`));
  });

  it("refuses complex literals", () => {
    expect(() => decodeNumber("1j")).toThrow(LiteralNotSupported);
  });

  it("round-trips any int through its repr", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), (n) => decodeNumber(n.toString()) === n));
  });

  it("round-trips any finite float through Python's repr", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(decodeNumber(floatRepr(x))).toBe(x === 0 ? 0 : x);
      }),
    );
  });
});

describe("floatRepr matches CPython's repr", () => {
  it.each([
    [1.5, "1.5"],
    [100, "100.0"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [5e-324, "5e-324"],
    [-0, "-0.0"],
    [123456789012345680, "1.2345678901234568e+17"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NaN, "nan"],
  ])("%s", (x, text) => {
    expect(floatRepr(x)).toBe(text);
  });
});

describe("string literals", () => {
  it("handles quote styles, prefixes and triple quotes", () => {
    expect(str(`'a'`)).toBe("a");
    expect(str(`"a"`)).toBe("a");
    expect(str(`"""a\nb"""`)).toBe("a\nb");
    expect(str(`'''it's'''`)).toBe("it's");
    expect(str(`u"x"`)).toBe("x");
    expect(str(`R"\\n"`)).toBe("\\n");
    expect(str(`r"\\""`)).toBe('\\"');
  });

  it("decodes escapes as unicode_escape does", () => {
    expect(str(String.raw`"\n\t\r\\\'\"\a\b\f\v"`)).toBe("\n\t\r\\'\"\x07\b\f\v");
    expect(str(String.raw`"\x41\u00e9\U0001F600"`)).toBe("Aé😀");
    expect(str(String.raw`"\101\0\400"`)).toBe("A\0\u0100");
    expect(str(String.raw`"\8\q"`)).toBe("\\8\\q");
    expect(str('"a\\\nb"')).toBe("ab");
  });

  it("reports bad escapes with CPython's positions", () => {
    expect(() => str(String.raw`"ab\x"`)).toThrow(
      "(unicode error) 'unicodeescape' codec can't decode bytes in position 2-3: truncated \\xXX escape",
    );
    expect(() => str(String.raw`"é\x4"`)).toThrow("position 10-12: truncated \\xXX escape");
    expect(() => str(String.raw`"\u12"`)).toThrow("position 0-3: truncated \\uXXXX escape");
    expect(() => str(String.raw`"\U00110000"`)).toThrow("position 0-9: illegal Unicode character");
  });

  it("refuses \\N{...} and f-strings as not supported", () => {
    expect(() => str(String.raw`"\N{BULLET}"`)).toThrow(LiteralNotSupported);
    expect(() => str(`f"x"`)).toThrow(LiteralNotSupported);
  });

  it("round-trips any string through Python's repr", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => str(pyRepr(s)) === s));
  });
});

describe("bytes literals", () => {
  it("decodes escapes as escape_decode does", () => {
    expect(bytes(String.raw`b"\x00ab"`)).toEqual([0, 97, 98]);
    expect(bytes(String.raw`b"\777"`)).toEqual([255]);
    expect(bytes(String.raw`b"\u00e9"`)).toEqual([...Buffer.from("\\u00e9")]);
    expect(bytes(String.raw`rb"\x00"`)).toEqual([...Buffer.from("\\x00")]);
    expect(bytes(`Br"a"`)).toEqual([97]);
  });

  it("rejects non-ASCII characters and bad \\x escapes", () => {
    expect(() => bytes(`b"é"`)).toThrow("bytes can only contain ASCII literal characters");
    expect(() => bytes(String.raw`b"ab\xz"`)).toThrow("(value error) invalid \\x escape at position 2");
  });

  it("round-trips any bytes through Python's repr", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        expect(bytes(bytesRepr(data))).toEqual([...data]);
      }),
    );
  });
});
