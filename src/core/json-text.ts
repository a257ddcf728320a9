/**
 * JSON.parse for untrusted text, with a one-line reason on failure. V8's messages quote a snippet
 * of the input, so a damaged file's control characters (a newline, a NUL) would otherwise end up
 * raw inside an error that names a file and a reason on one line.
 */
export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: oneLine(error instanceof Error ? error.message : String(error)) };
  }
}

/** Control characters (C0, DEL, C1) and line/paragraph separators as `\xNN` / `\uNNNN` escapes. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
