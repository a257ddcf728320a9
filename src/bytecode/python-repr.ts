/** Python `repr` of str and bytes, for error messages that quote CPython's exactly. */

function quoteFor(text: string): string {
  return text.includes("'") && !text.includes('"') ? '"' : "'";
}

/** `repr(s)` of a str (printable non-ASCII kept as is; control characters escaped). */
export function pythonStrRepr(text: string): string {
  const quote = quoteFor(text);
  let out = quote;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || (c >= 0xd800 && c <= 0xdfff)) {
      out += c <= 0xff ? `\\x${hex2(c)}` : `\\u${c.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/** `repr(b)` of a bytes object: `b'\xa7\r\r\n'`. */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const latin = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const quote = quoteFor(latin);
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === quote.charCodeAt(0) || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x09) out += "\\t";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${hex2(b)}`;
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/**
 * The one-character escapes of Python string literals (after the backslash) and what they stand for; a
 * backslash before a newline joins lines. Shared by every reader of Python literals in importkit.
 */
export const PYTHON_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};
