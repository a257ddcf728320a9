/**
 * ISL tokens: uppercase keywords, names (letters and digits with single hyphens inside: `Get-Value`),
 * unsigned numbers, double-quoted strings, punctuation, and `(* comments *)` (which may span lines and do
 * not nest). One pass over the text, constant work per character.
 */
import { IslSyntaxError } from "./errors.js";

export const KEYWORDS: ReadonlySet<string> = new Set([
  "INTERFACE",
  "TYPE",
  "EXCEPTION",
  "CONSTANT",
  "OBJECT",
  "METHODS",
  "END",
  "RECORD",
  "ENUMERATION",
  "SEQUENCE",
  "OF",
  "RAISES",
  "ASYNCHRONOUS",
  "IN",
  "OUT",
  "INOUT",
  "INTEGER",
  "CARDINAL",
  "REAL",
  "BOOLEAN",
  "STRING",
  "BYTE",
  "SHORT",
  "LONG",
  "TRUE",
  "FALSE",
]);

export type TokenKind = "keyword" | "name" | "integer" | "real" | "string" | "punct" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for a string: its value, escapes applied; for eof: ""). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const PUNCTUATION = ";,:=()-+";

/** Integer literals longer than this are out of range for every ISL type. */
export const MAX_INTEGER_DIGITS = 100;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** `'x'` for printable ASCII, else `U+XXXX`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code > 0x20 && code < 0x7f) return `'${ch}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** How a token is named in messages: `keyword 'TYPE'`, `name 'Foo'`, `';'`, `end of input`. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of input";
    case "name":
      return `name '${token.text}'`;
    case "keyword":
      return `keyword '${token.text}'`;
    case "string":
      return "a string";
    case "integer":
    case "real":
      return `number ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", '"': '"', n: "\n", t: "\t", r: "\r" };

/** Reads tokens one at a time, so that a syntax error before a bad character is the one reported. */
export class Lexer {
  private i = 0;
  private line = 1;
  private column = 1;

  constructor(
    private readonly text: string,
    private readonly path: string,
  ) {}

  private fail(line: number, column: number, reason: string): never {
    throw new IslSyntaxError(this.path, line, column, reason);
  }

  /** Step over one code point that may be a line break (in whitespace, comments and strings). */
  private step(): void {
    const { text } = this;
    const c = text.charCodeAt(this.i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(this.i + 1) !== 0x0a)) {
      this.line++;
      this.column = 1;
      this.i++;
    } else if (c === 0x0d) {
      this.i++; // the `\r` of `\r\n`
    } else {
      this.i += c >= 0xd800 && c <= 0xdbff && this.i + 1 < text.length ? 2 : 1;
      this.column++;
    }
  }

  /** Skip whitespace and comments. */
  private skipBlank(): void {
    const { text } = this;
    const n = text.length;
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) {
        this.step();
        continue;
      }
      if (c !== 0x28 || text.charCodeAt(this.i + 1) !== 0x2a) return;
      // (* comment *)
      const line = this.line;
      const column = this.column;
      this.i += 2;
      this.column += 2;
      for (;;) {
        if (this.i >= n) this.fail(line, column, "unterminated comment");
        if (text.charCodeAt(this.i) === 0x2a && text.charCodeAt(this.i + 1) === 0x29) {
          this.i += 2;
          this.column += 2;
          break;
        }
        this.step();
      }
    }
  }

  /** The next token; at the end, an eof token (again and again). */
  next(): Token {
    this.skipBlank();
    const { text, line, column } = this;
    const n = text.length;
    const i = this.i;
    if (i >= n) return { kind: "eof", text: "", line, column };
    const c = text.charCodeAt(i);
    if (isLetter(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isLetter(d) || isDigit(d) || d === 0x2d) j++;
        else break;
      }
      const word = text.slice(i, j);
      const doubled = word.indexOf("--");
      if (doubled >= 0) this.fail(line, column + doubled, `name '${word}' has two hyphens in a row`);
      if (word.endsWith("-")) this.fail(line, column + word.length - 1, `name '${word}' ends with a hyphen`);
      return this.advance(j, { kind: KEYWORDS.has(word) ? "keyword" : "name", text: word, line, column });
    }
    if (isDigit(c)) return this.number();
    if (c === 0x22) return this.string();
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (PUNCTUATION.includes(ch)) return this.advance(i + 1, { kind: "punct", text: ch, line, column });
    if (ch === "_")
      this.fail(line, column, "unexpected character '_' (ISL names use hyphens, not underscores)");
    return this.fail(line, column, `unexpected character ${describeCharacter(ch)}`);
  }

  /** Move to `end` on the current line (the token's text is ASCII) and return `token`. */
  private advance(end: number, token: Token): Token {
    this.column += end - this.i;
    this.i = end;
    return token;
  }

  /** digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ] */
  private number(): Token {
    const { text, line, column, i } = this;
    const n = text.length;
    let j = i;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    let kind: TokenKind = "integer";
    if (text.charCodeAt(j) === 0x2e && isDigit(text.charCodeAt(j + 1))) {
      kind = "real";
      j++;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      let k = j + 1;
      const sign = text.charCodeAt(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (!isDigit(text.charCodeAt(k))) this.fail(line, column + (j - i), "malformed exponent in a number");
      kind = "real";
      j = k;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    const next = text.charCodeAt(j);
    if (isLetter(next) || next === 0x5f || next === 0x2e) {
      this.fail(line, column + (j - i), `malformed number '${text.slice(i, j + 1)}'`);
    }
    const literal = text.slice(i, j);
    if (kind === "integer" && literal.length > MAX_INTEGER_DIGITS) {
      this.fail(line, column, `integer literal too long (more than ${MAX_INTEGER_DIGITS} digits)`);
    }
    return this.advance(j, { kind, text: literal, line, column });
  }

  /** "text" with the escapes \\ \" \n \t \r, on one line. */
  private string(): Token {
    const { text, line, column } = this;
    const n = text.length;
    this.i++;
    this.column++;
    let value = "";
    let chunk = this.i;
    for (;;) {
      if (this.i >= n) this.fail(line, column, "unterminated string");
      const d = text.charCodeAt(this.i);
      if (d === 0x22) break;
      if (d === 0x0a || d === 0x0d) this.fail(line, column, "unterminated string");
      if (d !== 0x5c) {
        this.step();
        continue;
      }
      value += text.slice(chunk, this.i);
      const escaped = this.i + 1 < n ? String.fromCodePoint(text.codePointAt(this.i + 1)!) : "";
      const replacement = ESCAPES[escaped];
      if (replacement === undefined) {
        if (escaped === "" || escaped === "\n" || escaped === "\r")
          this.fail(line, column, "unterminated string");
        const shown = describeCharacter(escaped);
        const what = shown.startsWith("'") ? `'\\${escaped}'` : `'\\' before ${shown}`;
        this.fail(this.line, this.column, `unknown escape ${what} in a string`);
      }
      value += replacement;
      this.i += 2;
      this.column += 2;
      chunk = this.i;
    }
    value += text.slice(chunk, this.i);
    this.i++;
    this.column++;
    return { kind: "string", text: value, line, column };
  }
}

/** All tokens of `text`, ending with the eof token. */
export function tokenize(text: string, path: string): Token[] {
  const lexer = new Lexer(text, path);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === "eof") return tokens;
  }
}
