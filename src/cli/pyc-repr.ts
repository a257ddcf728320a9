/**
 * Short Python-style reprs of marshal values for `importkit pyc dump`'s readable tree: `None`, `1.0`,
 * `'text'`, `b'\x00'`, `(1, 2)`, `frozenset({…})`, `<code object f>`. Bounded: long strings, deep nesting and
 * long containers are cut with `…`, and a container that holds itself (marshal refs can make cycles) prints
 * as `[...]`, so any decoded value prints in bounded time.
 */
import type { CodeObject } from "../bytecode/code-object.js";
import type { MarshalValue } from "../bytecode/marshal-values.js";
import {
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSingleton,
  MarshalSlice,
} from "../bytecode/marshal-values.js";

export interface ReprLimits {
  /** Characters of a str/bytes shown before `…`. */
  readonly text: number;
  /** Items of a container shown before `…`. */
  readonly items: number;
  /** Nesting shown before `…`. */
  readonly depth: number;
}

export const SHORT: ReprLimits = { text: 40, items: 6, depth: 3 };

export function isCode(value: MarshalValue): value is CodeObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { type?: unknown }).type === "code"
  );
}

/** Python's `repr(float)` (shortest round-trip digits, fixed notation for 1e-4 ≤ |x| < 1e16). */
export function floatRepr(x: number, addDotZero = true): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (x === 0) return (Object.is(x, -0) ? "-0" : "0") + (addDotZero ? ".0" : "");
  const [mantissa = "", exponentText = "0"] = x.toExponential().split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const exponent = Number(exponentText);
  let text: string;
  if (exponent >= -4 && exponent < 16) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const fraction = digits.slice(exponent + 1);
      text = fraction ? `${whole}.${fraction}` : addDotZero ? `${whole}.0` : whole;
    } else {
      text = `0.${"0".repeat(-exponent - 1)}${digits}`;
    }
  } else {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    text = `${head}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return negative ? `-${text}` : text;
}

/** Python's `repr(complex)`: `1.5j`, `(1+2j)`, `(-0-1j)`. */
export function complexRepr(real: number, imag: number): string {
  const im = floatRepr(imag, false);
  if (real === 0 && !Object.is(real, -0)) return `${im}j`;
  const sign = im.startsWith("-") ? "" : "+";
  return `(${floatRepr(real, false)}${sign}${im}j)`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** Python's `repr(str)`, cut after `limit` characters. */
export function strRepr(s: string, limit = Number.POSITIVE_INFINITY): string {
  const cut = s.length > limit;
  const body = cut ? s.slice(0, limit) : s;
  const quote = body.includes("'") && !body.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const ch = body[i]!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) out += `\\x${hex2(c)}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = body.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
        out += body.slice(i, i + 2);
        i++;
      } else out += `\\u${c.toString(16)}`;
    } else out += ch;
  }
  return `${out}${quote}${cut ? "…" : ""}`;
}

/** Python's `repr(bytes)`, cut after `limit` bytes. */
export function bytesRepr(b: Uint8Array, limit = Number.POSITIVE_INFINITY): string {
  const n = Math.min(b.length, limit);
  let hasSingle = false;
  let hasDouble = false;
  for (let i = 0; i < n; i++) {
    if (b[i] === 0x27) hasSingle = true;
    else if (b[i] === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    const ch = String.fromCharCode(c);
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${hex2(c)}`;
    else out += ch;
  }
  return `${out}${quote}${b.length > n ? "…" : ""}`;
}

/** A bounded Python-style repr of any decoded value. */
export function valueRepr(value: MarshalValue, limits: ReprLimits = SHORT): string {
  return repr(value, limits, 0, new Set());
}

function repr(value: MarshalValue, limits: ReprLimits, depth: number, open: Set<object>): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return strRepr(value, limits.text);
  if (value instanceof Uint8Array) return bytesRepr(value, limits.text);
  if (value instanceof MarshalFloat) return floatRepr(value.value);
  if (value instanceof MarshalComplex) return complexRepr(value.real, value.imag);
  if (value instanceof MarshalSingleton)
    return value.name === "Ellipsis" ? "Ellipsis" : "<class 'StopIteration'>";
  if (isCode(value)) return `<code object ${value.name}>`;
  const items = (xs: readonly MarshalValue[]) => seq(xs, limits, depth, open, (x) => [x]);
  if (Array.isArray(value)) {
    const tuple = value as readonly MarshalValue[];
    return guarded(value, "(...)", open, () =>
      tuple.length === 1 ? `(${items(tuple)},)` : `(${items(tuple)})`,
    );
  }
  if (value instanceof MarshalList) return guarded(value, "[...]", open, () => `[${items(value.items)}]`);
  if (value instanceof MarshalSet) {
    return guarded(value, "{...}", open, () => {
      if (value.items.length === 0) return `${value.kind}()`;
      return value.kind === "set" ? `{${items(value.items)}}` : `frozenset({${items(value.items)}})`;
    });
  }
  if (value instanceof MarshalDict) {
    return guarded(value, "{...}", open, () => {
      const pairs = value.entries.map(([k, v]) => ({ k, v }));
      return `{${seq(pairs, limits, depth, open, (p) => [p.k, p.v], ": ")}}`;
    });
  }
  if (value instanceof MarshalSlice) {
    return guarded(
      value,
      "slice(...)",
      open,
      () => `slice(${items([value.start, value.stop, value.step] as MarshalValue[])})`,
    );
  }
  return `<${typeof value}>`;
}

function guarded(container: object, cycle: string, open: Set<object>, body: () => string): string {
  if (open.has(container)) return cycle;
  open.add(container);
  try {
    return body();
  } finally {
    open.delete(container);
  }
}

function seq<T>(
  xs: readonly T[],
  limits: ReprLimits,
  depth: number,
  open: Set<object>,
  parts: (x: T) => MarshalValue[],
  joiner = "",
): string {
  if (xs.length === 0) return "";
  if (depth >= limits.depth) return "…";
  const shown = xs.slice(0, limits.items).map((x) =>
    parts(x)
      .map((p) => repr(p, limits, depth + 1, open))
      .join(joiner),
  );
  if (xs.length > limits.items) shown.push(`… ${xs.length - limits.items} more`);
  return shown.join(", ");
}
