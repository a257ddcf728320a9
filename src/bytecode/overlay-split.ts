/**
 * The `overlay NAME` statement (issue #4): splits a module's source into the module part and its overlays.
 *
 * A statement is a logical line that starts at column 0 with the word `overlay`, then whitespace, then a name:
 * an identifier (not a keyword), a str literal, an int literal, `(`, or a comma-separated tuple of those.
 * Anything else after `overlay` (`=`, `(` with no space, `.`, `:`, `[`, an operator, a keyword such as `in`
 * or `if`, end of line) is ordinary Python that uses a variable named `overlay`. Strings (all prefixes, triple
 * quotes, escapes), brackets, comments and backslash continuations are tokenised, so lines inside a
 * multi-line string or an open bracket are never statements. Each part keeps the original line numbering:
 * the lines of the other parts and the statement's own lines are blanked.
 *
 * Not modelled: 3.12 f-strings that reuse their own quote inside a replacement field.
 */
import { OverlaySyntaxError } from "./overlay-errors.js";
import { isReservedOverlayName, type OverlayName, overlayNameKey, overlayNameRepr } from "./overlay-name.js";
import { PYTHON_KEYWORDS } from "./python-keywords.js";
import { PYTHON_SIMPLE_ESCAPES } from "./python-repr.js";

export interface OverlaySplitPart {
  readonly name: OverlayName;
  /** The overlay's source, with the original line numbering. */
  readonly source: string;
  /** 1-based line of its `overlay` statement. */
  readonly line: number;
}

export interface OverlaySplit {
  /** The module's own source (everything before the first statement), with the original line numbering. */
  readonly module: string;
  readonly overlays: OverlaySplitPart[];
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\u00b7\u0387\u1369-\u1371\u19da\u30fb\uff65]|\u200c|\u200d/u;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bBfF][rR]|[rR][bBfF])?$/;

/** A physical line and its terminator. */
interface Line {
  readonly text: string;
  readonly end: string;
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    lines.push({ text: source.slice(start, m.index), end: m[0] });
    start = m.index + m[0].length;
  }
  lines.push({ text: source.slice(start), end: "" });
  return lines;
}

/**
 * Tokeniser state carried across physical lines: an open string (its quote and whether triple), the bracket
 * depth and a pending backslash continuation. A physical line starts a logical line when none is open.
 */
class LineScanner {
  quote = "";
  triple = false;
  depth = 0;
  continued = false;

  get atLogicalStart(): boolean {
    return this.quote === "" && this.depth === 0 && !this.continued;
  }

  /** Advances over one physical line (without its terminator). */
  scan(text: string): void {
    this.continued = false;
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i]!;
      if (this.quote !== "") {
        if (c === "\\") {
          i += 2;
          if (i > n) this.continued = !this.triple; // escaped newline inside a one-line string
          continue;
        }
        if (c === this.quote) {
          if (!this.triple) {
            this.quote = "";
            i++;
            continue;
          }
          if (text[i + 1] === c && text[i + 2] === c) {
            this.quote = "";
            this.triple = false;
            i += 3;
            continue;
          }
        }
        i++;
        continue;
      }
      if (c === "#") return;
      if (c === "'" || c === '"') {
        this.quote = c;
        this.triple = text[i + 1] === c && text[i + 2] === c;
        i += this.triple ? 3 : 1;
        continue;
      }
      if (c === "(" || c === "[" || c === "{") this.depth++;
      else if ((c === ")" || c === "]" || c === "}") && this.depth > 0) this.depth--;
      else if (c === "\\" && i === n - 1) {
        this.continued = true;
        return;
      }
      i++;
    }
    // An unterminated one-line string ends with its line (a syntax error for CPython to report), unless a
    // backslash continued it.
    if (this.quote !== "" && !this.triple && !this.continued) this.quote = "";
    else if (this.quote !== "" && !this.triple) this.continued = false;
  }
}

/** What follows `overlay` on a logical line's first physical line decides whether it is the statement. */
function statementStart(text: string): number {
  // Returns the index just after `overlay` + whitespace when the line (after any indentation) is a statement,
  // else -1.
  let i = 0;
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\f")) i++;
  if (!text.startsWith("overlay", i)) return -1;
  let j = i + 7;
  if (j < text.length && ID_CONTINUE.test(text[j]!)) return -1; // `overlays`, `overlay_x`
  const ws = j;
  while (j < text.length && (text[j] === " " || text[j] === "\t" || text[j] === "\f")) j++;
  if (j === ws || j >= text.length) return -1;
  const c = text[j]!;
  if (c === "(" || c === "'" || c === '"' || (c >= "0" && c <= "9")) return j;
  if (!ID_START.test(c)) return -1;
  let k = j + 1;
  while (k < text.length && ID_CONTINUE.test(text[k]!)) k++;
  const word = text.slice(j, k);
  if (PYTHON_KEYWORDS.has(word)) return -1; // `overlay in x`, `overlay if c else d`, `overlay is None`
  return j;
}

class NameSyntaxError extends Error {}

/** Recursive-descent parser of an overlay name over the statement's text. */
class NameParser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): OverlayName {
    const value = this.tuple(false);
    this.skip();
    if (this.i < this.text.length) throw new NameSyntaxError();
    return value;
  }

  private skip(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (c === " " || c === "\t" || c === "\f" || c === "\n" || c === "\r") this.i++;
      else if (c === "\\" && (t[this.i + 1] === "\n" || t[this.i + 1] === "\r")) this.i++;
      else if (c === "#") {
        while (this.i < t.length && t[this.i] !== "\n" && t[this.i] !== "\r") this.i++;
      } else break;
    }
  }

  /** `atom (, atom)* [,]` — a tuple when a comma appears, else the atom. */
  private tuple(inParens: boolean): OverlayName {
    const items: OverlayName[] = [];
    let comma = false;
    for (;;) {
      this.skip();
      const c = this.text[this.i];
      if (c === undefined || c === ")") break;
      items.push(this.atom());
      this.skip();
      if (this.text[this.i] !== ",") break;
      this.i++;
      comma = true;
    }
    if (items.length === 0 && !inParens) throw new NameSyntaxError();
    return comma || items.length === 0 ? items : items[0]!;
  }

  private atom(): OverlayName {
    const t = this.text;
    const c = t[this.i]!;
    if (c === "(") {
      this.i++;
      const value = this.tuple(true);
      this.skip();
      if (t[this.i] !== ")") throw new NameSyntaxError();
      this.i++;
      return value;
    }
    if (c >= "0" && c <= "9") return this.integer();
    if (c === "'" || c === '"' || ID_START.test(c)) {
      let j = this.i;
      while (j < t.length && ID_CONTINUE.test(t[j]!)) j++;
      const word = t.slice(this.i, j);
      if (t[j] === "'" || t[j] === '"') {
        if (!STRING_PREFIX.test(word)) throw new NameSyntaxError();
        return this.strings();
      }
      if (word === "" || PYTHON_KEYWORDS.has(word)) throw new NameSyntaxError();
      this.i = j;
      return word.normalize("NFKC"); // as Python normalises identifiers
    }
    throw new NameSyntaxError();
  }

  /** One or more adjacent str literals, concatenated. */
  private strings(): string {
    let out = "";
    for (;;) {
      this.skip();
      const t = this.text;
      let j = this.i;
      while (j < t.length && /[A-Za-z]/.test(t[j]!)) j++;
      const prefix = t.slice(this.i, j).toLowerCase();
      const q = t[j];
      if ((q !== "'" && q !== '"') || !STRING_PREFIX.test(prefix)) break;
      if (prefix.includes("b") || prefix.includes("f")) throw new NameSyntaxError(); // bytes / f-string
      out += this.literal(j, prefix.includes("r"));
    }
    return out;
  }

  private literal(at: number, raw: boolean): string {
    const t = this.text;
    const q = t[at]!;
    const triple = t[at + 1] === q && t[at + 2] === q;
    let i = at + (triple ? 3 : 1);
    let body = "";
    for (;;) {
      if (i >= t.length) throw new NameSyntaxError();
      const c = t[i]!;
      if (c === q && (!triple || (t[i + 1] === q && t[i + 2] === q))) {
        i += triple ? 3 : 1;
        break;
      }
      if ((c === "\n" || c === "\r") && !triple) throw new NameSyntaxError();
      if (c === "\\") {
        body += t.slice(i, i + 2);
        i += 2;
        continue;
      }
      body += c;
      i++;
    }
    this.i = i;
    const normalised = body.replace(/\r\n?/g, "\n");
    return raw ? normalised : pythonUnescape(normalised);
  }

  private integer(): number | bigint {
    const t = this.text;
    const m =
      /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*)/.exec(
        t.slice(this.i),
      );
    if (m === null) throw new NameSyntaxError();
    const end = this.i + m[0].length;
    // A float, complex or malformed number (`1.5`, `1e3`, `2j`, `09`, `1abc`) is not an int literal.
    if (end < t.length && /[.\w]/u.test(t[end]!)) throw new NameSyntaxError();
    this.i = end;
    const digits = m[0].replace(/_/g, "");
    const big = /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : BigInt(digits);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(big)
      : big;
  }
}

/** Python's escape sequences of a non-raw str literal; `\N{...}` is not supported (no name database). */
function pythonUnescape(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N|[\s\S]|$)/g,
    (all, e) => {
      const s = e as string;
      if (s in PYTHON_SIMPLE_ESCAPES) return PYTHON_SIMPLE_ESCAPES[s]!;
      if (s === "" || s === "N" || s === "x" || s === "u" || s === "U") throw new NameSyntaxError();
      if (s[0] === "x" || s[0] === "u" || s[0] === "U") {
        const code = Number.parseInt(s.slice(1), 16);
        if (code > 0x10ffff) throw new NameSyntaxError();
        return String.fromCodePoint(code);
      }
      if (/^[0-7]/.test(s)) return String.fromCodePoint(Number.parseInt(s, 8));
      return all; // unknown escapes stay as written
    },
  );
}

/** Source text of the statement for messages: `overlay` and what follows, on its first line. */
function shownName(text: string): string {
  const hash = text.indexOf("#");
  return (hash < 0 ? text : text.slice(0, hash)).trim().replace(/^overlay\s+/, "");
}

/**
 * Splits `source` at its `overlay NAME` statements. Throws {@link OverlaySyntaxError} (naming `filename` and
 * the statement's line) for an indented statement, an invalid or reserved name, or a name used twice.
 */
export function splitOverlaySource(source: string, filename: string): OverlaySplit {
  const lines = splitLines(source);
  const scanner = new LineScanner();
  // owner[i]: -1 for the module, k for overlay k, -2 for lines of a statement.
  const owner = new Int32Array(lines.length);
  const overlays: { name: OverlayName; line: number }[] = [];
  const firstLine = new Map<string, number>();
  let current = -1;
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i]!.text;
    if (i === 0 && text.startsWith("\ufeff")) text = text.slice(1);
    if (scanner.atLogicalStart) {
      const at = statementStart(text);
      if (at >= 0) {
        const lineNo = i + 1;
        if (text[0] !== "overlay"[0]) {
          throw new OverlaySyntaxError(
            filename,
            lineNo,
            `overlay ${shownName(text)} must be at module level (not indented)`,
          );
        }
        // The statement's logical line: continue while a string, bracket or backslash is open.
        let statement = text.slice(at);
        let last = i;
        scanner.scan(text);
        while (!scanner.atLogicalStart && last + 1 < lines.length) {
          last++;
          statement += `\n${lines[last]!.text}`;
          scanner.scan(lines[last]!.text);
        }
        let name: OverlayName;
        try {
          name = new NameParser(statement).parse();
        } catch (error) {
          if (error instanceof NameSyntaxError)
            throw new OverlaySyntaxError(filename, lineNo, "invalid overlay name");
          throw error;
        }
        if (isReservedOverlayName(name)) {
          throw new OverlaySyntaxError(filename, lineNo, "overlay names beginning with '__' are reserved");
        }
        const key = overlayNameKey(name);
        const first = firstLine.get(key);
        if (first !== undefined) {
          throw new OverlaySyntaxError(
            filename,
            lineNo,
            `overlay ${overlayNameRepr(name)} defined twice (first at line ${first})`,
          );
        }
        firstLine.set(key, lineNo);
        overlays.push({ name, line: lineNo });
        current = overlays.length - 1;
        for (let k = i; k <= last; k++) owner[k] = -2;
        i = last;
        continue;
      }
    }
    owner[i] = current;
    scanner.scan(text);
  }
  const render = (part: number): string => {
    let out = "";
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      out += (owner[i] === part ? line.text : "") + line.end;
    }
    return out;
  };
  return {
    module: render(-1),
    overlays: overlays.map((o, k) => ({ name: o.name, source: render(k), line: o.line })),
  };
}
