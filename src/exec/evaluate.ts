/** Expression evaluation: synchronous, since no expression of the subset can import. */
import { NameError, TypeError_ } from "../core/errors.js";
import type { PyValue } from "../core/values.js";
import { PyDict, PyList, PySet, PyTuple, typeName, UnhashableError } from "../core/values.js";
import type { Expr, UnaryOp } from "./ast.js";
import { getAttribute } from "./attributes.js";
import { lookupBuiltin } from "./builtins.js";
import type { Frame } from "./frame.js";
import { notSupported } from "./not-supported.js";

/** LOAD_NAME: locals, then globals, then builtins. */
export function loadName(frame: Frame, name: string, line: number): PyValue {
  const local = frame.locals.get(name);
  if (local !== undefined) return local;
  if (frame.locals !== frame.globals) {
    const global = frame.globals.get(name);
    if (global !== undefined) return global;
  }
  const builtin = lookupBuiltin(name);
  if (builtin.kind === "found") return builtin.value;
  if (builtin.kind === "unmodelled") throw notSupported(`builtin '${name}'`, frame.location(line));
  throw new NameError(`name '${name}' is not defined`);
}

function unary(op: UnaryOp, operand: PyValue): PyValue {
  const value = typeof operand === "boolean" ? BigInt(operand) : operand;
  if (typeof value === "bigint") return op === "-" ? -value : op === "~" ? -value - 1n : value;
  if (typeof value === "number" && op !== "~") return op === "-" ? -value : value;
  throw new TypeError_(`bad operand type for unary ${op}: '${typeName(operand)}'`);
}

/** Run a hash-based insertion, turning importkit's unhashable signal into Python's TypeError. */
export function hashing(insert: () => void): void {
  try {
    insert();
  } catch (error) {
    if (error instanceof UnhashableError) throw new TypeError_(error.message);
    throw error;
  }
}

export function evaluate(frame: Frame, expr: Expr): PyValue {
  switch (expr.kind) {
    case "constant":
      return expr.value;
    case "name":
      return loadName(frame, expr.id, expr.line);
    case "attribute":
      return getAttribute(evaluate(frame, expr.object), expr.attr, frame.location(expr.line));
    case "unary":
      return unary(expr.op, evaluate(frame, expr.operand));
    case "list":
      return new PyList(expr.elements.map((e) => evaluate(frame, e)));
    case "tuple":
      return new PyTuple(expr.elements.map((e) => evaluate(frame, e)));
    case "set": {
      // BUILD_SET: every element is evaluated before any is hashed.
      const items = expr.elements.map((e) => evaluate(frame, e));
      const set = new PySet();
      hashing(() => {
        for (const item of items) set.add(item);
      });
      return set;
    }
    case "dict": {
      const entries = expr.entries.map(([k, v]): [PyValue, PyValue] => [
        evaluate(frame, k),
        evaluate(frame, v),
      ]);
      const dict = new PyDict();
      hashing(() => {
        for (const [k, v] of entries) dict.set(k, v);
      });
      return dict;
    }
  }
}
