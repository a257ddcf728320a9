/**
 * Overlays at run time: named code objects appended to a module's `.pyc`, run on demand in the module's
 * namespace (`loadOverlay`). The loader that loaded the module attaches a {@link ModuleOverlays} to it (see
 * {@link attachOverlays}); this file is that object.
 *
 * - The module load keeps only what identifies the file (path, mtime, size, the 16 header bytes) and the
 *   overlay names (`__overlays_available__`), never the file's bytes.
 * - Each load first `stat`s the file: another mtime or size is a stale-file OverlayError, never different
 *   code. The first load reads the directory (≤ 2 reads: the tail, and the directory's start if it begins
 *   before the tail), which is then cached; each overlay's code is one more read, or none when it lies in
 *   the tail. A read that covers the header compares it too; a directory whose names differ is stale.
 * - Overlays compiled by importkit from a source with no cache written are kept in memory: no I/O at all.
 * - A `.pyc` member of a zip archive was read whole when its module was imported (as zipimport reads it):
 *   its bytes are kept, copied out of any larger buffer, and its overlays read from them (no I/O, and no
 *   staleness: they are the overlays of the very bytes the module ran).
 * - `__overlays__` is created by the first successful load; a failing overlay stays unloaded.
 * - Lazy overlays `('lazy', attr)` run from `module.missingAttribute`, which is synchronous: importkit's
 *   runners execute synchronously up to the first import, so an overlay that imports nothing has all its
 *   effects before the lookup returns. One that imports finishes later (the lookup meanwhile fails as a
 *   missing attribute). Reading/staleness errors raise from the lookup; an exception raised by the
 *   overlay's code is not visible synchronously and is raised by the next `loadOverlay` of it instead.
 */
import type { CodeObject } from "../../bytecode/index.js";
import {
  decodeMarshal,
  layoutForPython,
  MarshalError,
  type OverlayDirectory,
  OverlayFormatError,
  type OverlayName,
  overlayNameKey,
  overlayNameRepr,
  readOverlayCode,
  readOverlayDirectory,
} from "../../bytecode/index.js";
import { TypeError_ } from "../../core/errors.js";
import { FileSystemError } from "../../core/fs/file-system.js";
import type { CompiledCode, ImportContext, ImportSystemApi } from "../../core/interfaces.js";
import type { LoadOverlayOptions, Module, ModuleOverlays } from "../../core/module.js";
import { OverlayError } from "../../core/module.js";
import type { PyValue } from "../../core/values.js";
import { PySet, PyTuple, typeName } from "../../core/values.js";
import type { LoaderEnvironment } from "../loader-environment.js";

/** How the code in an overlay file is run. */
export type OverlayCodeKind =
  | { readonly kind: "cpython"; readonly version: string; readonly filename: string }
  | { readonly kind: "importkit"; readonly filename: string };

/** What identifies the file a module was loaded from: checked by a stat before each overlay load. */
export interface OverlayFileIdentity {
  readonly mtimeMs: number;
  readonly size: number;
  /** The 16-byte pyc header (for hash-based pycs, the source hash), compared when a read covers it. */
  readonly header: Uint8Array;
}

/** Overlays in a `.pyc` file (a sourceless module, a trusted cache, or a cache importkit wrote). */
export interface FileOverlayOrigin {
  readonly kind: "file";
  readonly path: string;
  readonly code: OverlayCodeKind;
  readonly names: readonly OverlayName[];
  /** null when the file already differed from what was read when the module was loaded. */
  readonly identity: OverlayFileIdentity | null;
}

/** Overlays importkit compiled from a source and wrote to no file: kept as source, compiled on first load. */
export interface MemoryOverlayOrigin {
  readonly kind: "memory";
  readonly filename: string;
  readonly overlays: readonly {
    readonly name: OverlayName;
    readonly source: string;
    readonly line: number;
  }[];
}

/** Overlays in a `.pyc` member of a zip archive: the member's bytes, kept (see the file comment). */
export interface MemberOverlayOrigin {
  readonly kind: "member";
  /** zipimport's pathname of the member (archive path, separator, member name): the `path` of errors. */
  readonly path: string;
  readonly code: OverlayCodeKind;
  readonly names: readonly OverlayName[];
  readonly data: Uint8Array;
}

export type OverlayOrigin = FileOverlayOrigin | MemoryOverlayOrigin | MemberOverlayOrigin;

/** A prepared overlay: its code, ready to run. */
type Runnable =
  | {
      readonly kind: "cpython";
      readonly code: CodeObject;
      readonly version: string;
      readonly filename: string;
    }
  | { readonly kind: "executor"; readonly code: CompiledCode };

const IMPORTKIT_FORMAT = "importkit";

/** A Python overlay name (str, int, or tuples of those) as the format layer's marshal value. */
export function toOverlayName(name: PyValue): OverlayName {
  if (typeof name === "string") return name;
  if (typeof name === "bigint") return Number.isSafeInteger(Number(name)) ? Number(name) : name;
  if (typeof name === "number" && Number.isInteger(name)) return name;
  if (name instanceof PyTuple) return name.items.map(toOverlayName);
  throw new TypeError_(`overlay names are str, int or tuples of those, not ${typeName(name)}`);
}

/** A format-layer name as a Python value (int → bigint, tuple → PyTuple). */
export function fromOverlayName(name: OverlayName): PyValue {
  if (typeof name === "string") return name;
  if (typeof name === "number") return BigInt(name);
  if (typeof name === "bigint") return name;
  if (Array.isArray(name)) return new PyTuple(name.map(fromOverlayName));
  throw new OverlayError(`bad overlay name ${String(name)}`);
}

let fallbackTaskId = -1;

/** A fresh import task on `system` (ImportSystem.newContext when it has one). */
function newContext(system: ImportSystemApi): ImportContext {
  const maker = (system as { newContext?: () => ImportContext }).newContext;
  if (typeof maker === "function") return maker.call(system);
  return { system, task: { id: fallbackTaskId--, blockingOn: null } };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class AttachedOverlays implements ModuleOverlays {
  /** Overlay names by key, in directory order. */
  readonly names: ReadonlyMap<string, OverlayName>;
  private readonly loaded = new Set<string>();
  private readonly inFlight = new Map<string, Promise<1 | 2>>();
  private directory: OverlayDirectory | null = null;
  private readonly compiled = new Map<string, Runnable>();
  /** Exceptions raised by lazily run overlays, raised again by the next explicit load of the name. */
  private readonly lazyFailures = new Map<string, unknown>();

  constructor(
    private readonly env: LoaderEnvironment,
    readonly origin: OverlayOrigin,
    private readonly system: ImportSystemApi,
  ) {
    const names = origin.kind === "memory" ? origin.overlays.map((o) => o.name) : origin.names;
    this.names = new Map(names.map((name) => [overlayNameKey(name), name]));
  }

  /** The file the overlays come from (the `path` of errors). */
  get path(): string {
    return this.origin.kind === "memory" ? this.origin.filename : this.origin.path;
  }

  isLoaded(name: OverlayName): boolean {
    return this.loaded.has(overlayNameKey(name));
  }

  async load(module: Module, name: PyValue, options: LoadOverlayOptions): Promise<1 | 2> {
    const overlayName = toOverlayName(name);
    const key = this.checkName(module, overlayName);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      await pending.catch(() => undefined);
      if (!options.forceReload && this.loaded.has(key)) return 2;
    }
    if (this.loaded.has(key) && !options.forceReload) return 2;
    const failure = this.lazyFailures.get(key);
    if (failure !== undefined) {
      this.lazyFailures.delete(key);
      throw failure;
    }
    return this.start(module, key, overlayName, options.ctx ?? newContext(this.system));
  }

  /**
   * The lazy-attribute hook: runs `('lazy', attr)` when it exists and is neither loaded nor running, and
   * returns the attribute if the module has it afterwards (see the file comment on what "afterwards" means).
   */
  missing(module: Module, attr: string): PyValue | undefined {
    const overlayName: OverlayName = ["lazy", attr];
    const key = overlayNameKey(overlayName);
    if (!this.names.has(key) || this.loaded.has(key) || this.inFlight.has(key)) return undefined;
    // Prepared synchronously, so reading and staleness errors raise from the lookup itself.
    const running = this.start(module, key, overlayName, newContext(this.system));
    running.catch((error: unknown) => {
      this.lazyFailures.set(key, error);
      if (this.env.events.active) {
        this.env.events.emit({
          type: "note",
          message: `lazy overlay ${overlayNameRepr(overlayName)} of ${module.name} failed: ${String(error)}`,
        });
      }
    });
    return module.dict.get(attr);
  }

  /** Prepare (synchronously: stat, reads, decoding), then run; records the load. */
  private start(module: Module, key: string, name: OverlayName, ctx: ImportContext): Promise<1 | 2> {
    const runnable = this.prepare(module, key, name);
    const running = this.run(runnable, module, ctx).then(() => {
      this.loaded.add(key);
      let loadedSet = module.dict.get("__overlays__");
      if (!(loadedSet instanceof PySet)) {
        loadedSet = new PySet();
        module.dict.set("__overlays__", loadedSet);
      }
      (loadedSet as PySet).add(fromOverlayName(name));
      return 1 as const;
    });
    const tracked = running.finally(() => {
      if (this.inFlight.get(key) === tracked) this.inFlight.delete(key);
    });
    this.inFlight.set(key, tracked);
    return tracked;
  }

  private checkName(module: Module, name: OverlayName): string {
    const key = overlayNameKey(name);
    if (!this.names.has(key)) {
      throw new OverlayError(`module '${module.name}' has no overlay ${overlayNameRepr(name)}`, {
        name: module.name,
        path: this.path,
      });
    }
    return key;
  }

  private run(runnable: Runnable, module: Module, ctx: ImportContext): Promise<void> {
    if (runnable.kind === "cpython")
      return this.env.bytecode.run(runnable.code, module, ctx, runnable.version, {
        filename: runnable.filename,
      });
    return Promise.resolve(this.env.executor.exec(runnable.code, module, ctx));
  }

  private prepare(module: Module, key: string, name: OverlayName): Runnable {
    const origin = this.origin;
    if (origin.kind === "memory") {
      const cached = this.compiled.get(key);
      if (cached !== undefined) return cached;
      const overlay = origin.overlays.find((o) => overlayNameKey(o.name) === key)!;
      const runnable: Runnable = {
        kind: "executor",
        code: this.env.executor.compile(overlay.source, origin.filename),
      };
      this.compiled.set(key, runnable);
      return runnable;
    }
    const details = { name: module.name, path: origin.path };
    const stale = () =>
      new OverlayError(
        `overlay file ${origin.path} changed since module '${module.name}' was loaded`,
        details,
      );
    if (origin.kind === "member") {
      const { data } = origin;
      const read = (position: number, length: number): Uint8Array => {
        // The directory reader keeps within the size it was given; a short slice would be its bug.
        if (position < 0 || position + length > data.length)
          throw new OverlayError(`overlay read outside ${origin.path} (${position}+${length})`, details);
        return data.subarray(position, position + length);
      };
      return this.readOverlay(origin, data.length, read, name, details, stale);
    }
    const stat = this.env.fs.stat(origin.path);
    const identity = origin.identity;
    if (
      identity === null ||
      stat === undefined ||
      stat.kind !== "file" ||
      stat.mtimeMs !== identity.mtimeMs ||
      stat.size !== identity.size
    ) {
      this.directory = null;
      throw stale();
    }
    const read = (position: number, length: number): Uint8Array => {
      let data: Uint8Array;
      try {
        data = this.env.fs.read(origin.path, position, length);
      } catch (error) {
        if (!(error instanceof FileSystemError)) throw error;
        throw new OverlayError(`cannot read overlays of '${module.name}': ${error.code}`, {
          ...details,
          cause: error,
        });
      }
      if (this.env.events.active)
        this.env.events.emit({ type: "read", path: origin.path, bytes: data.length });
      if (data.length < length) throw stale();
      if (position === 0 && data.length >= 16 && !sameBytes(data.subarray(0, 16), identity.header))
        throw stale();
      return data;
    };
    return this.readOverlay(origin, stat.size, read, name, details, stale);
  }

  /** The directory (read once, then cached) and the code of overlay `name`, through `read`. */
  private readOverlay(
    origin: FileOverlayOrigin | MemberOverlayOrigin,
    size: number,
    read: (position: number, length: number) => Uint8Array,
    name: OverlayName,
    details: { name: string; path: string },
    stale: () => OverlayError,
  ): Runnable {
    try {
      if (this.directory === null) {
        const directory = readOverlayDirectory(read, size, origin.path);
        const names = directory.entries.map((entry) => overlayNameKey(entry.name));
        if (names.length !== this.names.size || names.some((n, i) => n !== [...this.names.keys()][i]))
          throw stale();
        this.directory = directory;
      }
      const entry = this.directory.lookup(name);
      if (entry === undefined) throw stale();
      const data = readOverlayCode(this.directory, entry, read);
      return decodeOverlay(origin, data, name, details, (text, filename) =>
        this.env.executor.compile(text, filename),
      );
    } catch (error) {
      if (error instanceof OverlayFormatError) {
        throw new OverlayError(`bad overlay directory in ${origin.path}: ${error.message}`, {
          ...details,
          cause: error,
        });
      }
      throw error;
    }
  }
}

function decodeOverlay(
  origin: FileOverlayOrigin | MemberOverlayOrigin,
  data: Uint8Array,
  name: OverlayName,
  details: { name: string; path: string },
  compile: (text: string, filename: string) => CompiledCode,
): Runnable {
  const code = origin.code;
  const bad = (why: string, cause?: unknown) =>
    new OverlayError(`overlay ${overlayNameRepr(name)} in ${origin.path}: ${why}`, { ...details, cause });
  if (code.kind === "cpython") {
    const layout = layoutForPython(code.version);
    if (layout === undefined) throw bad(`no code layout known for CPython ${code.version}`);
    let value: unknown;
    try {
      value = decodeMarshal(data, {
        layout,
        filename: origin.path,
        marshalVersion: code.version === "3.14" ? 5 : 4,
      }).value;
    } catch (error) {
      if (error instanceof MarshalError) throw bad(error.message, error);
      throw error;
    }
    if (typeof value !== "object" || value === null || (value as CodeObject).type !== "code")
      throw bad("not a code object");
    return { kind: "cpython", code: value as CodeObject, version: code.version, filename: code.filename };
  }
  const text = importkitCodeText(data, origin.path);
  if (text === null) throw bad("not importkit code");
  return { kind: "executor", code: compile(text, code.filename) };
}

/** The text of an importkit code tuple `("importkit", 1, "source", text)`, or null. */
export function importkitCodeText(data: Uint8Array, filename: string): string | null {
  try {
    const { value } = decodeMarshal(data, { layout: "3.11", filename });
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [format, version, kind, text] = value;
    return format === IMPORTKIT_FORMAT && version === 1 && kind === "source" && typeof text === "string"
      ? text
      : null;
  } catch (error) {
    if (error instanceof MarshalError) return null;
    throw error;
  }
}
