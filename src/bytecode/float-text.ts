/**
 * Floats as text: Python's `repr(float)` (used by the corpus dumps), the `%.17g` text of marshal v0/v1
 * (`f`/`x` codes, written by `w_float_str`) and the strict parse of `PyOS_string_to_double` that reads it.
 */

/** Shortest round-trip digits and decimal exponent: value = 0.DIGITS × 10^decpt. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const e = Math.abs(x).toExponential(); // no argument: as many digits as needed to round-trip
  const at = e.indexOf("e");
  const digits = e.slice(0, at).replace(".", "");
  return { digits, decpt: Number(e.slice(at + 1)) + 1 };
}

/** `repr(x)` of a Python float: `1.0`, `1e+16`, `1e-05`, `-0.0`, `inf`, `nan`. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x);
  // float_repr_style 'short': exponent form when decpt <= -4 or decpt > 16 (Python/pystrtod.c).
  if (decpt <= -4 || decpt > 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mant}e${exponentText(decpt - 1)}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function exponentText(exp: number): string {
  const abs = Math.abs(exp);
  return `${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

/** The exact decimal value of a finite positive double: DIGITS × 10^exp10 (BigInt arithmetic, exact). */
function exactDecimal(x: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp2 = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp10: 0 };
  // m / 2^k = m·5^k / 10^k
  return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp10: exp2 };
}

/** `digits` (no leading zeros) rounded to `precision` significant digits, half to even as C's printf. */
function roundDigits(digits: string, precision: number): { kept: string; carry: boolean } {
  if (digits.length <= precision) return { kept: digits.padEnd(precision, "0"), carry: false };
  const kept = digits.slice(0, precision);
  const rest = digits.slice(precision);
  const tie = rest[0] === "5" && /^50*$/.test(rest);
  const up = rest[0]! > "5" || (rest[0] === "5" && !tie) || (tie && Number(kept[precision - 1]) % 2 === 1);
  if (!up) return { kept, carry: false };
  const bumped = (BigInt(kept) + 1n).toString();
  return bumped.length > precision
    ? { kept: bumped.slice(0, precision), carry: true }
    : { kept: bumped, carry: false };
}

/**
 * C's `%.17g` as CPython's `PyOS_double_to_string(x, 'g', 17, 0)` writes it (no forced `.0`), with exact
 * round-half-even (`toExponential` rounds ties up, which differs for doubles like 277176834545701.625).
 */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0`;
  const { digits, exp10 } = exactDecimal(Math.abs(x));
  const { kept, carry } = roundDigits(digits, 17);
  const exp = digits.length - 1 + exp10 + (carry ? 1 : 0);
  if (exp < -4 || exp >= 17) {
    const frac = kept.slice(1).replace(/0+$/, "");
    return `${sign}${kept[0]}${frac ? `.${frac}` : ""}e${exponentText(exp)}`;
  }
  const text =
    exp < 0 ? `0.${"0".repeat(-exp - 1)}${kept}` : `${kept.slice(0, exp + 1)}.${kept.slice(exp + 1)}`;
  return `${sign}${text.replace(/0+$/, "").replace(/\.$/, "")}`;
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** Parses what `PyOS_string_to_double(s, NULL, NULL)` accepts; null when CPython raises ValueError. */
export function parsePythonFloatText(text: string): number | null {
  if (!FLOAT_TEXT.test(text)) return null;
  const lower = text.toLowerCase();
  const negative = lower.startsWith("-");
  const body = lower.replace(/^[+-]/, "");
  if (body.startsWith("inf")) return negative ? -Infinity : Infinity;
  if (body === "nan") return Number.NaN;
  return Number(lower);
}
