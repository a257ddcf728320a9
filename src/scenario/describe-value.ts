/**
 * Value descriptions (FORMAT.md, "Value descriptions"), as the oracle's `describe` + `sort_sets` write them.
 *
 * A set's elements are sorted by their compact JSON text as *Python* prints it (`json.dumps(sort_keys=True,
 * separators=(",", ":"))`), where a float keeps its `.0` and its exponent form: `3.0` sorts before `3.5` there
 * but `3` after it in JS's JSON. So each description is built together with its Python JSON text.
 */
import { Module } from "../core/module.js";
import type { PyValue } from "../core/values.js";
import { PyBytes, PyClass, PyDict, PyFunction, PyList, PySet, PyTuple, typeName } from "../core/values.js";
import { floatRepr } from "../exec/repr.js";
import type { PathRewriter } from "./path-rewriter.js";
import { compareCodePoints, sortedNames } from "./py-order.js";
import type { ValueDescription } from "./result.js";

const MAX_SAFE_INT = 2n ** 53n - 1n;

interface Described {
  readonly description: ValueDescription;
  /** Python's compact, key-sorted JSON text of the description. */
  readonly text: string;
}

export function describeValue(value: PyValue, rewriter: PathRewriter): ValueDescription {
  return describe(value, rewriter).description;
}

/** `{name: description}` for every non-dunder name, in sorted order (the oracle's `describe_names`). */
export function describeNames(
  namespace: ReadonlyMap<string, PyValue>,
  rewriter: PathRewriter,
): Record<string, ValueDescription> {
  const out: Record<string, ValueDescription> = {};
  for (const name of sortedNames(namespace.keys())) {
    if (!isDunder(name)) out[name] = describeValue(namespace.get(name) as PyValue, rewriter);
  }
  return out;
}

/** `__x__` with at least one character inside. */
export function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith("__") && name.endsWith("__");
}

function describe(value: PyValue, rewriter: PathRewriter): Described {
  if (value === null || typeof value === "boolean") return scalar(value, JSON.stringify(value));
  switch (typeof value) {
    case "bigint":
      return -MAX_SAFE_INT <= value && value <= MAX_SAFE_INT
        ? scalar(Number(value), value.toString())
        : scalar(value.toString(), JSON.stringify(value.toString()));
    case "number":
      return scalar(value, pythonJsonFloat(value));
    case "string": {
      const text = rewriter.rewrite(value);
      return scalar(text, JSON.stringify(text));
    }
  }
  if (value instanceof PyBytes) return tagged("bytes", Buffer.from(value.data).toString("hex"));
  if (value instanceof PyList || value instanceof PyTuple) {
    const items = value.items.map((item) => describe(item, rewriter));
    return sequence(value instanceof PyList ? "list" : "tuple", items);
  }
  if (value instanceof PySet) {
    const items = [...value.items.values()].map((item) => describe(item, rewriter));
    return sequence(
      "set",
      items.sort((a, b) => compareCodePoints(a.text, b.text)),
    );
  }
  if (value instanceof PyDict) {
    const pairs = [...value.entries.values()].map(
      ([k, v]) => [describe(k, rewriter), describe(v, rewriter)] as const,
    );
    return {
      description: { dict: pairs.map(([k, v]) => [k.description, v.description] as const) },
      text: `{"dict":[${pairs.map(([k, v]) => `[${k.text},${v.text}]`).join(",")}]}`,
    };
  }
  if (value instanceof Module) return tagged("module", value.name);
  if (value instanceof PyClass) return tagged("class", value.qualname);
  if (value instanceof PyFunction) return tagged("function", value.qualname);
  return tagged("type", typeName(value));
}

function scalar(value: number | string | boolean | null, text: string): Described {
  return { description: { value }, text: `{"value":${text}}` };
}

function tagged(key: "bytes" | "module" | "class" | "function" | "type", text: string): Described {
  const description: ValueDescription =
    key === "bytes"
      ? { bytes: text }
      : key === "module"
        ? { module: text }
        : key === "class"
          ? { class: text }
          : key === "function"
            ? { function: text }
            : { type: text };
  return { description, text: `{"${key}":${JSON.stringify(text)}}` };
}

function sequence(key: "list" | "tuple" | "set", items: readonly Described[]): Described {
  const elements = items.map((item) => item.description);
  const description: ValueDescription =
    key === "list" ? { list: elements } : key === "tuple" ? { tuple: elements } : { set: elements };
  return { description, text: `{"${key}":[${items.map((item) => item.text).join(",")}]}` };
}

/** How Python's json module writes a float: its repr, with NaN / Infinity for the non-finite ones. */
export function pythonJsonFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return floatRepr(x);
}
