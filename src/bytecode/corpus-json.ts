/**
 * The corpus dump format of `shared/corpus/tools/dump_pyc.py` (README "JSON format"): `size`, `header` and
 * `object`, with Python float reprs, ints as decimal strings, sets in stream order, code fields in each
 * layout's stream order under their `co_` names and bytes as hex. {@link corpusJsonText} is the compact
 * serialization the corpus is compared in (`json.dumps(..., ensure_ascii=True, separators=(",", ":"))`).
 */
import type { CodeObject } from "./code-object.js";
import { pythonFloatRepr } from "./float-text.js";
import { magicBytes } from "./magic.js";
import {
  ELLIPSIS,
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSlice,
  type MarshalValue,
  STOP_ITERATION,
} from "./marshal-values.js";
import type { PycHeader } from "./pyc-header.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CorpusFile {
  /** The whole file (only its length is used), or its length. */
  readonly bytes: Uint8Array | number;
  /** Absent for headerless marshal blobs. */
  readonly header?: PycHeader;
  readonly value: MarshalValue;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** `{size, header?, object}` exactly as dump_pyc.py writes them (without its informational `meta`). */
export function toCorpusJson(file: CorpusFile): JsonObject {
  const out: JsonObject = { size: typeof file.bytes === "number" ? file.bytes : file.bytes.length };
  if (file.header !== undefined) out.header = headerJson(file.header);
  out.object = valueJson(file.value);
  return out;
}

export function headerJson(h: PycHeader): JsonObject {
  const out: JsonObject = { magic: hex(magicBytes(h.magic)), magic_int: h.magic, size: h.size };
  if (h.size === 12) {
    if (!h.hashBased) {
      out.mtime = h.mtime;
      out.source_size = h.sourceSize;
    }
    return out;
  }
  out.flags = h.flags;
  if (h.hashBased) {
    out.hash_based = true;
    out.check_source = h.checkSource;
    out.source_hash = hex(h.sourceHash);
  } else {
    out.hash_based = false;
    out.mtime = h.mtime;
    out.source_size = h.sourceSize;
  }
  return out;
}

/**
 * One value in the dump encoding (references already resolved: shared objects are written in full).
 * A cyclic value (possible from marshal v3+ data) has no dump form: TypeError.
 */
export function valueJson(v: MarshalValue): JsonObject {
  return new DumpWriter().value(v);
}

/** A code object's fields in its layout's stream order (PYC.md §5). */
export function codeJson(co: CodeObject): JsonObject {
  return new DumpWriter().code(co);
}

class DumpWriter {
  /** Containers being written, to refuse cycles instead of overflowing the stack. */
  private readonly open = new Set<object>();

  value(v: MarshalValue): JsonObject {
    if (v === null) return { none: true };
    if (typeof v === "boolean") return { bool: v };
    if (typeof v === "number" || typeof v === "bigint") return { int: v.toString() };
    if (typeof v === "string") return { str: v };
    if (v instanceof Uint8Array) return { bytes: hex(v) };
    if (v === ELLIPSIS) return { ellipsis: true };
    if (v === STOP_ITERATION) return { stopiteration: true };
    if (v instanceof MarshalFloat) return { float: pythonFloatRepr(v.value) };
    if (v instanceof MarshalComplex) return { complex: [pythonFloatRepr(v.real), pythonFloatRepr(v.imag)] };
    if (this.open.has(v)) throw new TypeError("a cyclic marshal value has no corpus JSON form");
    this.open.add(v);
    const out = this.container(v);
    this.open.delete(v);
    return out;
  }

  private container(v: object): JsonObject {
    const items = (xs: readonly MarshalValue[]) => xs.map((x) => this.value(x));
    if (Array.isArray(v)) return { tuple: items(v as readonly MarshalValue[]) };
    if (v instanceof MarshalList) return { list: items(v.items) };
    if (v instanceof MarshalDict) return { dict: v.entries.map(([k, x]) => [this.value(k), this.value(x)]) };
    if (v instanceof MarshalSet) return { [v.kind]: items(v.items) };
    if (v instanceof MarshalSlice) return { slice: items([v.start, v.stop, v.step]) };
    return { code: this.code(v as CodeObject) };
  }

  code(co: CodeObject): JsonObject {
    const out: JsonObject = { co_argcount: co.argcount };
    if (co.layout !== "3.6") out.co_posonlyargcount = co.posonlyargcount;
    out.co_kwonlyargcount = co.kwonlyargcount;
    if (co.layout !== "3.11") out.co_nlocals = co.nlocals;
    out.co_stacksize = co.stacksize;
    out.co_flags = co.flags;
    out.co_code = hex(co.code);
    out.co_consts = co.consts.map((c) => this.value(c));
    out.co_names = [...co.names];
    if (co.layout === "3.11") {
      out.co_localsplusnames = [...(co.localsplusnames ?? [])];
      out.co_localspluskinds = hex(co.localspluskinds ?? new Uint8Array(0));
    } else {
      out.co_varnames = [...co.varnames];
      out.co_freevars = [...co.freevars];
      out.co_cellvars = [...co.cellvars];
    }
    out.co_filename = co.filename;
    out.co_name = co.name;
    if (co.layout === "3.11") out.co_qualname = co.qualname;
    out.co_firstlineno = co.firstlineno;
    if (co.layout === "3.6" || co.layout === "3.8") out.co_lnotab = hex(co.linetable);
    else out.co_linetable = hex(co.linetable);
    if (co.layout === "3.11") out.co_exceptiontable = hex(co.exceptiontable ?? new Uint8Array(0));
    return out;
  }
}

const SHORT_ESCAPES: Record<number, string> = {
  34: '\\"',
  92: "\\\\",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
};

/** A string as Python's json module writes it with ensure_ascii: every unit outside ' '..'~' escaped. */
function pythonJsonString(text: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += text.slice(from, i) + (SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`);
    from = i + 1;
  }
  return `${out}${text.slice(from)}"`;
}

/** `json.dumps(value, ensure_ascii=True, separators=(",", ":"))`, key order kept. */
export function corpusJsonText(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new TypeError("the corpus format holds only integer JSON numbers");
    return String(value);
  }
  if (typeof value === "string") return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map(corpusJsonText).join(",")}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) parts.push(`${pythonJsonString(key)}:${corpusJsonText(value[key]!)}`);
  return `{${parts.join(",")}}`;
}
