/**
 * Decoding of Python literal tokens (numbers, strings, bytes) exactly as CPython 3.11's tokenizer and
 * `unicode_escape` / `escape_decode` do, with their SyntaxError messages.
 */

import { PYTHON_SIMPLE_ESCAPES } from "../bytecode/python-repr.js";

/** A literal CPython rejects at compile time; the compiler adds the `(file, line N)` suffix. */
export class LiteralSyntaxError extends Error {}

/** A valid literal the scenario executor does not model (complex numbers, `\N{...}`, f-strings). */
export class LiteralNotSupported extends Error {
  constructor(readonly construct: string) {
    super(construct);
  }
}

export type DecodedString =
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "bytes"; readonly value: Uint8Array };

const digitPart = "[0-9](?:_?[0-9])*";
const pointFloat = `(?:(?:${digitPart})?\\.${digitPart}|${digitPart}\\.)`;
const floatPattern = new RegExp(`^(?:${pointFloat}|(?:${digitPart}|${pointFloat})[eE][+-]?${digitPart})$`);
const radixPatterns: Record<string, { pattern: RegExp; radix: string; what: string }> = {
  x: { pattern: /^0[xX](?:_?[0-9a-fA-F])+$/, radix: "0x", what: "hexadecimal" },
  o: { pattern: /^0[oO](?:_?[0-7])+$/, radix: "0o", what: "octal" },
  b: { pattern: /^0[bB](?:_?[01])+$/, radix: "0b", what: "binary" },
};

/** CPython's `sys.get_int_max_str_digits()` default: longer decimal int literals are a SyntaxError. */
const maxDecimalDigits = 4300;

/** An int (bigint) or float (number) literal; imaginary literals are not supported. */
export function decodeNumber(text: string): bigint | number {
  if (/[jJ]$/.test(text)) throw new LiteralNotSupported("complex literal");
  const radix = radixPatterns[text[1]?.toLowerCase() ?? ""];
  if (text[0] === "0" && radix !== undefined) {
    if (!radix.pattern.test(text)) {
      // Like CPython's tokenizer: a decimal digit right after the valid ones is named.
      const valid = radix.radix === "0o" ? /^(?:_?[0-7])*/ : /^(?:_?[01])*/;
      const next =
        radix.radix === "0x" ? undefined : text.slice(2 + (valid.exec(text.slice(2))?.[0].length ?? 0))[0];
      if (next !== undefined && /[0-9]/.test(next)) {
        throw new LiteralSyntaxError(`invalid digit '${next}' in ${radix.what} literal`);
      }
      throw new LiteralSyntaxError(`invalid ${radix.what} literal`);
    }
    return BigInt(radix.radix + text.slice(2).replaceAll("_", ""));
  }
  if (/^[1-9](?:_?[0-9])*$/.test(text) || /^0+(?:_?0)*$/.test(text)) {
    const digits = text.replaceAll("_", "");
    if (digits.length > maxDecimalDigits) {
      throw new LiteralSyntaxError(
        `Exceeds the limit (${maxDecimalDigits} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`,
      );
    }
    return BigInt(digits);
  }
  if (/^0[0-9_]*$/.test(text) && /^0(?:_?[0-9])+$/.test(text)) {
    throw new LiteralSyntaxError(
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
    );
  }
  if (floatPattern.test(text)) return Number(text.replaceAll("_", ""));
  throw new LiteralSyntaxError("invalid decimal literal");
}

/** Split a string token into its prefix, quote and body. */
function splitStringToken(token: string): { prefix: string; body: string } {
  const prefix = /^[a-zA-Z]*/.exec(token)?.[0] ?? "";
  const rest = token.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (rest.length < 2 * quote.length || !rest.endsWith(quote))
    throw new LiteralSyntaxError("unterminated string literal");
  return { prefix: prefix.toLowerCase(), body: rest.slice(quote.length, rest.length - quote.length) };
}

/** Decode one string or bytes token, prefix and quotes included. */
export function decodeStringLiteral(token: string): DecodedString {
  const { prefix, body } = splitStringToken(token);
  if (prefix.includes("f")) throw new LiteralNotSupported("f-string");
  if (!/^(?:r|u|b|br|rb)?$/.test(prefix)) throw new LiteralSyntaxError("invalid syntax");
  // CPython's tokenizer turns "\r\n" and "\r" line ends into "\n" before literals are decoded.
  const text = body.replace(/\r\n?/g, "\n");
  const raw = prefix.includes("r");
  if (prefix.includes("b")) {
    if ([...text].some((ch) => ch.charCodeAt(0) > 0x7f))
      throw new LiteralSyntaxError("bytes can only contain ASCII literal characters");
    return { kind: "bytes", value: raw ? asciiBytes(text) : decodeBytesEscapes(text) };
  }
  return { kind: "str", value: raw ? text : decodeStrEscapes(text) };
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

const simpleEscapes = PYTHON_SIMPLE_ESCAPES;

const hexDigitsFor: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const escapeNames: Readonly<Record<string, string>> = { x: "\\xXX", u: "\\uXXXX", U: "\\UXXXXXXXX" };

/**
 * Escapes of a str literal, as `unicode_escape`. Error positions count bytes of CPython's intermediate
 * buffer, in which every non-ASCII character was rewritten as a 10-byte `\UXXXXXXXX`.
 */
function decodeStrEscapes(text: string): string {
  const chars = [...text];
  const positionOf = (index: number): number =>
    chars.slice(0, index).reduce((n, ch) => n + (ch.charCodeAt(0) < 0x80 ? 1 : 10), 0);
  const codecError = (start: number, end: number, what: string): LiteralSyntaxError =>
    new LiteralSyntaxError(
      `(unicode error) 'unicodeescape' codec can't decode bytes in position ${positionOf(start)}-${positionOf(end) - 1}: ${what}`,
    );
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = chars[i + 1];
    if (next === undefined) throw new LiteralSyntaxError("unterminated string literal");
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(chars.slice(i + 1, i + 4).join(""))?.[0] ?? next;
      out += String.fromCodePoint(Number.parseInt(digits, 8));
      i += digits.length;
    } else if (next in hexDigitsFor) {
      const want = hexDigitsFor[next] as number;
      const digits = /^[0-9a-fA-F]*/.exec(chars.slice(i + 2, i + 2 + want).join(""))?.[0] ?? "";
      if (digits.length < want)
        throw codecError(i, i + 2 + digits.length, `truncated ${escapeNames[next]} escape`);
      const code = Number.parseInt(digits, 16);
      if (code > 0x10ffff) throw codecError(i, i + 2 + want, "illegal Unicode character");
      out += String.fromCodePoint(code);
      i += 1 + want;
    } else if (next === "N") {
      throw new LiteralNotSupported("\\N{...} escape");
    } else {
      // An unknown escape keeps its backslash (CPython only warns).
      out += "\\";
    }
  }
  return out;
}

/** Escapes of a bytes literal, as `escape_decode`: no \u, \U or \N; octal values wrap at 256. */
function decodeBytesEscapes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== "\\") {
      out.push(ch.charCodeAt(0));
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) throw new LiteralSyntaxError("unterminated string literal");
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      if (simple !== "") out.push(simple.charCodeAt(0));
      i++;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))?.[0] ?? next;
      out.push(Number.parseInt(digits, 8) & 0xff);
      i += digits.length;
    } else if (next === "x") {
      const digits = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(digits))
        throw new LiteralSyntaxError(`(value error) invalid \\x escape at position ${i}`);
      out.push(Number.parseInt(digits, 16));
      i += 3;
    } else {
      out.push(0x5c);
    }
  }
  return Uint8Array.from(out);
}
