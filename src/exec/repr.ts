/**
 * Python's `repr()` and `str()` of scenario values, for exception messages built from non-string arguments
 * (`str(ValueError(1, "a"))` is `(1, 'a')`).
 */
import { NotSupportedError } from "../core/errors.js";
import type { PyValue } from "../core/values.js";
import {
  bytesRepr,
  PyBytes,
  PyClass,
  PyDict,
  PyFunction,
  PyList,
  PySet,
  PyTuple,
  pyRepr,
  typeName,
} from "../core/values.js";

export { bytesRepr };

/** `repr(float)`: the shortest round-trip digits, in exponent form outside 1e-4 <= |x| < 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponentText = "0"] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = x < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (exponent >= digits.length - 1) return `${sign}${digits}${"0".repeat(exponent - digits.length + 1)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** `repr(value)` for the values scenario Python can build. */
export function valueRepr(value: PyValue): string {
  if (value === null) return "None";
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return value.toString();
    case "number":
      return floatRepr(value);
    case "string":
      return pyRepr(value);
  }
  if (value instanceof PyBytes) return bytesRepr(value.data);
  if (value instanceof PyList) return `[${value.items.map(valueRepr).join(", ")}]`;
  if (value instanceof PyTuple) {
    const items = value.items.map(valueRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (value instanceof PyDict) {
    return `{${[...value.entries.values()].map(([k, v]) => `${valueRepr(k)}: ${valueRepr(v)}`).join(", ")}}`;
  }
  if (value instanceof PySet) {
    const items = [...value.items.values()].map(valueRepr);
    // CPython iterates a set in hash order (randomised for str); only sizes 0 and 1 have one answer.
    if (items.length > 1)
      throw new NotSupportedError("not supported by the scenario executor: repr of a set of several items");
    if (value.pyType === "frozenset")
      return items.length === 0 ? "frozenset()" : `frozenset({${items.join(", ")}})`;
    return items.length === 0 ? "set()" : `{${items.join(", ")}}`;
  }
  if (value instanceof PyClass)
    return `<class '${value.module === "builtins" ? "" : `${value.module}.`}${value.qualname}'>`;
  // Function reprs hold a memory address, which has no faithful model.
  if (value instanceof PyFunction)
    throw new NotSupportedError("not supported by the scenario executor: repr of a function");
  throw new NotSupportedError(
    `not supported by the scenario executor: repr of a '${typeName(value)}' object`,
  );
}

/** `str(value)`: a str is itself, everything else here is its repr. */
export function valueStr(value: PyValue): string {
  return typeof value === "string" ? value : valueRepr(value);
}
