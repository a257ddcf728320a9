/**
 * The bytes of an ISL file as text: strict UTF-8 (the first invalid byte is reported with its line and
 * column), a leading byte order mark dropped, NUL refused. Line breaks are `\n`, `\r\n` and a lone `\r`.
 */
import { decodeUtf8Strict } from "../../../bytecode/utf8.js";
import { IslSyntaxError, type Position } from "./errors.js";

/** The line and column of UTF-16 index `index` in `text` (columns in code points). Linear; for errors. */
export function positionAt(text: string, index: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      column = 1;
    } else if (c === 0x0d) {
      // the `\r` of `\r\n`: the `\n` ends the line
    } else if (c < 0xdc00 || c > 0xdfff) column++;
  }
  return { line, column };
}

/** The text of an ISL file, or an IslSyntaxError for invalid UTF-8 or a NUL character. */
export function decodeIslSource(input: Uint8Array | string, path: string): string {
  let text: string;
  if (typeof input === "string") {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
    if (lone !== null) {
      const at = positionAt(text, lone.index);
      throw new IslSyntaxError(path, at.line, at.column, "invalid text: a lone surrogate");
    }
  } else {
    const decoded = decodeUtf8Strict(input); // drops a leading BOM
    if (typeof decoded !== "string") {
      const bad = decoded.start;
      const prefix = new TextDecoder("utf-8").decode(input.subarray(0, bad));
      const at = positionAt(prefix, prefix.length);
      const hex = input[bad]!.toString(16).padStart(2, "0");
      throw new IslSyntaxError(path, at.line, at.column, `invalid UTF-8 (byte 0x${hex})`);
    }
    text = decoded;
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const at = positionAt(text, nul);
    throw new IslSyntaxError(path, at.line, at.column, "NUL character in the input");
  }
  return text;
}
