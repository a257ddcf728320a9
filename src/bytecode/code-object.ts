/**
 * A CPython code object as a pyc stores it (PYC.md §5), in one shape for every layout:
 * 3.6–3.7, 3.8–3.9, 3.10 and 3.11–3.14. Fields a layout does not store are derived the way CPython
 * derives them (3.11+'s varnames/cellvars/freevars/nlocals come from localsplus names and kinds), so
 * executors read one interface; `layout` says which fields the stream really held.
 */
import type { MarshalValue } from "./marshal-values.js";

export type CodeLayout = "3.6" | "3.8" | "3.10" | "3.11";

export interface CodeObject {
  readonly type: "code";
  readonly layout: CodeLayout;
  readonly argcount: number;
  /** 0 before 3.8 (not stored). */
  readonly posonlyargcount: number;
  readonly kwonlyargcount: number;
  readonly nlocals: number;
  readonly stacksize: number;
  readonly flags: number;
  /** Wordcode; in 3.11+ with the inline CACHE entries as zero bytes. */
  readonly code: Uint8Array;
  readonly consts: readonly MarshalValue[];
  readonly names: readonly string[];
  readonly varnames: readonly string[];
  readonly freevars: readonly string[];
  readonly cellvars: readonly string[];
  /** 3.11+: all local names, and one kind byte per name (CO_FAST_* bits). Null before 3.11. */
  readonly localsplusnames: readonly string[] | null;
  readonly localspluskinds: Uint8Array | null;
  readonly filename: string;
  readonly name: string;
  /** 3.11+; before, the same as `name`. */
  readonly qualname: string;
  readonly firstlineno: number;
  /** co_lnotab (3.6–3.9), co_linetable (3.10: PEP 626; 3.11+: PEP 657 locations). */
  readonly linetable: Uint8Array;
  /** 3.11+; null before. */
  readonly exceptiontable: Uint8Array | null;
}
