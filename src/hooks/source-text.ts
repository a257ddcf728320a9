/** Source text as CPython reads it (`decode_source`). */
import { NotSupportedError, SyntaxError_ } from "../core/errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/m;
// Python's codec names for ISO-8859-1 (after its normalisation: lower case, "_" for "-").
const LATIN_1 = /^(latin[-_]?1|iso[-_]?8859[-_]1|iso[-_]latin[-_]1|l1|8859|cp819|latin)([-_].*)?$/i;

/**
 * CPython's `decode_source`: UTF-8 unless a coding cookie in the first two lines says otherwise (Latin-1
 * and ASCII are modelled; other encodings fail loudly), a UTF-8 BOM dropped, universal newlines.
 */
export function decodeSource(data: Uint8Array, path: string): string {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 512)).toString("latin1");
  const cookie = COOKIE.exec(head.split(/\r\n|\r|\n/, 2).join("\n"));
  let text: string;
  if (cookie && !/^(utf-?8|utf_8)([-_]|$)/i.test(cookie[1]!)) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
    if (LATIN_1.test(cookie[1]!)) {
      text = bytes.toString("latin1");
    } else if (/^(us[-_]?)?ascii$/i.test(cookie[1]!) && !data.some((b) => b >= 0x80)) {
      text = bytes.toString("latin1");
    } else {
      throw new NotSupportedError(
        `source encoding '${cookie[1]}' is not supported (UTF-8, Latin-1 and ASCII are): ${path}`,
      );
    }
  } else {
    try {
      text = utf8.decode(data);
    } catch {
      throw new SyntaxError_(`(unicode error) 'utf-8' codec can't decode the source of ${path}`);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  return text.replace(/\r\n?/g, "\n");
}
