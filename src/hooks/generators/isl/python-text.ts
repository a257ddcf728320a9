/**
 * Python literals as text, for the generated modules: str as Python's `ascii()` spells it (so the output is
 * pure ASCII and means the same to every reader), floats as `repr()`, tuples with the one-element comma,
 * dicts one entry per line. No f-strings, no expressions: only literals the scenario executor evaluates.
 */
import { pythonFloatRepr } from "../../../bytecode/float-text.js";

/** A Python literal: int is bigint, float is number, None is null, tuple is an array. */
export type PyLiteral = null | boolean | bigint | number | string | readonly PyLiteral[];

/** Python's `ascii(text)`: `repr` with every non-ASCII character escaped. */
export function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out + quote;
}

/** A docstring statement: `"""text"""` when that spells `text` plainly, else the `ascii()` literal. */
export function pyDocstring(text: string): string {
  return /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(text) ? `"""${text}"""` : pyStr(text);
}

export function pyLiteral(value: PyLiteral): string {
  if (value === null) return "None";
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`no Python literal for the float ${value}`);
      return pythonFloatRepr(value);
    case "string":
      return pyStr(value);
  }
  const items = value.map(pyLiteral);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** A dict literal with str keys, one entry per line, closing brace at `indent`. */
export function pyDict(entries: readonly (readonly [string, PyLiteral])[], indent = ""): string {
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, value]) => `${indent}    ${pyStr(key)}: ${pyLiteral(value)},\n`);
  return `{\n${lines.join("")}${indent}}`;
}
