/** Source text as CPython reads it (`decode_source`). */
import { NotSupportedError, SyntaxError_ } from "../core/errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** CPython's `decode_source`: UTF-8 (a BOM is dropped), universal newlines. */
export function decodeSource(data: Uint8Array, path: string): string {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new SyntaxError_(`(unicode error) 'utf-8' codec can't decode the source of ${path}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const cookie = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/m.exec(text.split("\n", 2).join("\n"));
  if (cookie && !/^(utf-?8|utf_8)(-|_|$)/i.test(cookie[1]!)) {
    throw new NotSupportedError(`source encoding '${cookie[1]}' is not supported (only UTF-8): ${path}`);
  }
  return text.replace(/\r\n?/g, "\n");
}
