/**
 * The NAME argument of `importkit overlay load`: a Python constant, as the `overlay` statement spells it —
 * a bare identifier (a str), a quoted str, an int, or a tuple of those (`"('lazy', 'x')"`, `"(1,)"`).
 */
import type { OverlayName } from "../bytecode/index.js";

export class OverlayNameArgError extends Error {}

export function parseOverlayNameArg(text: string): OverlayName {
  const parser = new NameParser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) throw parser.fail("unexpected text after the name");
  return value;
}

const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*$/u;
const INTEGER =
  /^[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?\d)*)$/;

class NameParser {
  private i = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.i >= this.text.length;
  }

  fail(reason: string): OverlayNameArgError {
    return new OverlayNameArgError(`invalid overlay name ${JSON.stringify(this.text)}: ${reason}`);
  }

  skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  value(): OverlayName {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === undefined) throw this.fail("a name is missing");
    if (c === "(") return this.tuple();
    if (c === "'" || c === '"') return this.str();
    const match = /^[^\s(),'"]+/.exec(this.text.slice(this.i));
    const word = match?.[0] ?? "";
    this.i += word.length;
    if (INTEGER.test(word)) {
      const negative = word.startsWith("-");
      const digits = word.replace(/^[-+]/, "").replace(/_/g, "");
      const magnitude = /^0[0-7]/.test(digits) ? 0n : BigInt(digits); // "00" is 0; "07" is no int
      const value = negative ? -magnitude : magnitude;
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    }
    if (IDENTIFIER.test(word)) return word;
    throw this.fail(
      word === "" ? `unexpected ${JSON.stringify(c)}` : `${JSON.stringify(word)} is no constant`,
    );
  }

  private tuple(): OverlayName {
    this.i++; // (
    const items: OverlayName[] = [];
    let comma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] === ")") {
        this.i++;
        if (items.length === 1 && !comma) return items[0]!; // (x) is x, as in Python
        return items;
      }
      if (items.length > 0 && !comma) throw this.fail("',' or ')' expected");
      items.push(this.value());
      this.skipSpace();
      comma = this.text[this.i] === ",";
      if (comma) this.i++;
      else if (this.text[this.i] !== ")") throw this.fail("',' or ')' expected");
    }
  }

  private str(): string {
    const quote = this.text[this.i]!;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.text[this.i++];
      if (c === undefined) throw this.fail("unterminated string");
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.i++];
      const simple: Record<string, string> = {
        "\\": "\\",
        "'": "'",
        '"': '"',
        n: "\n",
        t: "\t",
        r: "\r",
        "0": "\0",
        a: "\x07",
        b: "\b",
        f: "\f",
        v: "\v",
      };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === "x" || e === "u" || e === "U") {
        const width = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = this.text.slice(this.i, this.i + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw this.fail(`bad \\${e} escape`);
        this.i += width;
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) throw this.fail(`bad \\${e} escape`);
        out += String.fromCodePoint(code);
      } else out += `\\${e ?? ""}`;
    }
  }
}
