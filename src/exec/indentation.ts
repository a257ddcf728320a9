/**
 * CPython's indentation rules, which lezer does not enforce (it reads `x = 1\n  y = 2` as two statements):
 * every statement that starts a line must sit at its block's indentation. Columns are counted with tabs to
 * the next multiple of 8 and, to detect TabError, with tabs as 1 column, as CPython's tokenizer does.
 */

export interface Indent {
  readonly column: number;
  /** The column with tabs counted as one, CPython's `altcol`. */
  readonly alt: number;
}

export type IndentProblem =
  | "unexpected indent"
  | "unindent does not match any outer indentation level"
  | "tab";

/** The indentation of `offset`'s line, and whether only blanks precede `offset` on it. */
export function indentAt(source: string, offset: number): Indent & { readonly startsLine: boolean } {
  let start = offset;
  while (start > 0 && source[start - 1] !== "\n" && source[start - 1] !== "\r") start--;
  let column = 0;
  let alt = 0;
  for (let i = start; i < offset; i++) {
    const ch = source[i];
    if (ch === " ") {
      column++;
      alt++;
    } else if (ch === "\t") {
      column = (Math.floor(column / 8) + 1) * 8;
      alt++;
    } else if (ch === "\f") {
      column = alt = 0;
    } else {
      return { ...lineIndent(source, start), startsLine: false };
    }
  }
  return { column, alt, startsLine: true };
}

function lineIndent(source: string, start: number): Indent {
  let end = start;
  while (source[end] === " " || source[end] === "\t" || source[end] === "\f") end++;
  const { column, alt } = indentAt(source, end);
  return { column, alt };
}

/** How a line-starting statement at `actual` fits a block indented at `expected`. */
export function compareIndent(actual: Indent, expected: Indent): IndentProblem | null {
  const byColumn = Math.sign(actual.column - expected.column);
  if (byColumn !== Math.sign(actual.alt - expected.alt)) return "tab";
  if (byColumn > 0) return "unexpected indent";
  if (byColumn < 0) return "unindent does not match any outer indentation level";
  return null;
}
