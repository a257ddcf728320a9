/**
 * The Python values importkit's modules hold: what scenario Python, module namespaces and results need.
 * Primitives map to JS (int → bigint, float → number, str → string, bool → boolean, None → null);
 * everything else is an object carrying its Python type name in `pyType`.
 */

export interface PyObject {
  /** The Python type name, as `type(x).__name__` prints it. */
  readonly pyType: string;
}

export type PyValue = null | boolean | bigint | number | string | PyObject;

export class PyBytes implements PyObject {
  readonly pyType = "bytes";
  constructor(readonly data: Uint8Array) {}
}

export class PyList implements PyObject {
  readonly pyType = "list";
  constructor(public items: PyValue[] = []) {}
}

export class PyTuple implements PyObject {
  readonly pyType = "tuple";
  constructor(readonly items: readonly PyValue[] = []) {}
}

export class PyDict implements PyObject {
  readonly pyType = "dict";
  /** Insertion-ordered; keyed by {@link hashKey} so that 1, 1.0 and True are one key, as in Python. */
  readonly entries = new Map<string, [PyValue, PyValue]>();
  get(key: PyValue): PyValue | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }
  set(key: PyValue, value: PyValue): void {
    const k = hashKey(key);
    const old = this.entries.get(k);
    if (old) old[1] = value;
    else this.entries.set(k, [key, value]);
  }
}

export class PySet implements PyObject {
  readonly items = new Map<string, PyValue>();
  constructor(readonly pyType: "set" | "frozenset" = "set") {}
  add(value: PyValue): void {
    const k = hashKey(value);
    if (!this.items.has(k)) this.items.set(k, value);
  }
}

/** A function object: only its identity and names are modelled (scenario bodies are `pass`). */
export class PyFunction implements PyObject {
  readonly pyType = "function";
  constructor(
    readonly name: string,
    readonly qualname: string,
    readonly module: string,
  ) {}
}

/** A class object with its class-level attributes. */
export class PyClass implements PyObject {
  readonly pyType = "type";
  readonly attrs = new Map<string, PyValue>();
  constructor(
    readonly name: string,
    readonly qualname: string,
    readonly module: string,
  ) {}
}

/** Any other object, known only by its type name (e.g. `__future__._Feature`). */
export class PyOpaque implements PyObject {
  constructor(
    readonly pyType: string,
    readonly label = pyType,
  ) {}
}

export function isPyObject(value: unknown): value is PyObject {
  return typeof value === "object" && value !== null && typeof (value as PyObject).pyType === "string";
}

/** `type(value).__name__` */
export function typeName(value: PyValue): string {
  if (value === null) return "NoneType";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "str";
    default:
      return value.pyType;
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/**
 * A string that is equal for values Python considers equal as dict keys (`1 == 1.0 == True`).
 * Throws a TypeError-shaped message for unhashable values; callers wrap it into a Python TypeError.
 */
export function hashKey(value: PyValue): string {
  if (value === null) return "N";
  switch (typeof value) {
    case "boolean":
      return value ? "i1" : "i0";
    case "bigint":
      return `i${value}`;
    case "number":
      return Number.isInteger(value) ? `i${BigInt(value)}` : `f${value}`;
    case "string":
      return `s${value}`;
  }
  if (value instanceof PyBytes) return `b${Buffer.from(value.data).toString("hex")}`;
  if (value instanceof PyTuple) return `t(${value.items.map(hashKey).join(",")})`;
  if (value instanceof PySet && value.pyType === "frozenset")
    return `z{${[...value.items.keys()].sort().join(",")}}`;
  if (value instanceof PyList || value instanceof PyDict || value instanceof PySet) {
    throw new UnhashableError(value.pyType);
  }
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return `o${id}`;
}

export class UnhashableError extends Error {
  constructor(readonly typeName: string) {
    super(`unhashable type: '${typeName}'`);
  }
}

/** Python's `str()`-free repr of a string: single quotes unless the text holds one and no double quote. */
export function pyRepr(text: string): string {
  const useDouble = text.includes("'") && !text.includes('"');
  const quote = useDouble ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** `repr(bytes)`. */
export function bytesRepr(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const byte of data) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return out + quote;
}
