/**
 * Restricted imports, in the spirit of Python 2's `rexec`: compiled code runs only when it is on an
 * allowlist, and everything else comes from source, compiled by the system's own executor.
 *
 * - Built-in modules load only when their name is in `builtins`. Frozen modules are compiled code too
 *   (their bytecode is baked into the interpreter, not read from a `.py`), so they are treated like
 *   built-ins: served only when their name is in `builtins`, whatever the path holds.
 * - Extension modules (the profile's shared-library suffixes) load only when their full dotted name is in
 *   `extensions`.
 * - A built-in, frozen or extension module that is not on its list is not served by its importer or file
 *   hook, and the search goes on exactly as if that importer or hook did not exist for that name: a `.py`
 *   of the same name — in the same directory, later on the path — can still be found; otherwise the import
 *   raises ModuleNotFoundError. With tracing on, each refusal is reported as a `note` event.
 * - Modules from files come from source only. In directories the "bytecode" file hook (lone `.pyc` files)
 *   is removed, and the "source" hook is replaced by one that compiles the `.py` text and never reads or
 *   writes `__pycache__` (its loader is still a `SourceFileLoader`: specs keep the `cached` path CPython
 *   computes, but nothing is ever read from or written to it). In zip archives no `.pyc` member is used at
 *   all (`pycMembers: "none"`): a lone one is passed over, and so is one beside its `.py` — zipimport would run
 *   it when its header matches the source member, but it is still bytecode nobody compiled here, so the
 *   archive is searched as if it held no `.pyc` members and the `.py` is compiled instead.
 *
 * Other plugins' file hooks (generators, custom hooks) are left alone.
 */
import { type Awaitable, andThen } from "../core/awaitable.js";
import type { ImportEvents } from "../core/events.js";
import type { FileHook, ImportContext, Importer } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { ModuleSpec } from "../core/spec.js";
import { pyRepr } from "../core/values.js";
import { FileLoader } from "../hooks/file-loader.js";
import { type LoaderEnvironment, readFileData } from "../hooks/loader-environment.js";
import { compileSourceText, type ModuleCode } from "../hooks/module-code.js";
import { decodeSource } from "../hooks/source-text.js";
import type { ImportPlugin } from "../plugins/plugin.js";

export interface RestrictedImportsOptions {
  /** Built-in modules that may be imported; frozen modules (compiled in too) are allowed by this list as well. */
  readonly builtins: readonly string[];
  /** Extension modules that may be imported, by full dotted name (`"_speedups"`, `"pkg._accel"`). */
  readonly extensions: readonly string[];
}

const PLUGIN = "restrictedImports";

/** The rexec-style policy: allowlisted compiled modules, everything else from source only. */
export function restrictedImports(options: RestrictedImportsOptions): ImportPlugin {
  const builtins = new Set(options.builtins);
  const extensions = new Set(options.extensions);
  return {
    name: PLUGIN,
    fileHooks(hooks, { env, events }) {
      if (hooks.has("bytecode")) hooks.remove("bytecode");
      if (hooks.has("source")) hooks.replace("source", sourceOnlyFileHook(env));
      if (hooks.has("extension"))
        hooks.replace("extension", allowlistedExtensionHook(hooks.get("extension"), extensions, events));
    },
    zipOptions(zip) {
      // Archives: no bytecode member at all; `.py` members are compiled.
      return { ...zip, pycMembers: "none" };
    },
    importers(importers, { events }) {
      if (importers.has("builtin"))
        importers.replace(
          "builtin",
          new AllowlistImporter(importers.get("builtin"), builtins, "built-in module", events),
        );
      if (importers.has("frozen"))
        importers.replace(
          "frozen",
          new AllowlistImporter(importers.get("frozen"), builtins, "frozen module", events),
        );
    },
  };
}

function refused(events: ImportEvents, what: string, name: string, where?: string): void {
  if (events.active)
    events.emit({
      type: "note",
      message: `${PLUGIN}: ${what} ${pyRepr(name)}${where ? ` (${where})` : ""} is not on the allowlist`,
    });
}

// ---- importers: built-in and frozen modules ----------------------------------------------------------

/** An importer that serves only allowlisted names; for the others it is as if it were not there. */
export class AllowlistImporter implements Importer {
  readonly pyType: string;

  constructor(
    readonly inner: Importer,
    readonly allowed: ReadonlySet<string>,
    private readonly what: string,
    private readonly events: ImportEvents,
  ) {
    // Traces keep naming CPython's importer; the specs it makes still name it as their loader.
    this.pyType = inner.pyType;
  }

  findSpec(
    name: string,
    path: readonly string[] | null,
    target: Module | null,
    ctx: ImportContext,
  ): Awaitable<ModuleSpec | null> {
    if (this.allowed.has(name)) return this.inner.findSpec(name, path, target, ctx);
    if (!this.events.active) return null;
    // Tracing: say so when the importer would have served it (built-in and frozen lookups read no files).
    return andThen(this.inner.findSpec(name, path, target, ctx), (spec) => {
      if (spec !== null) refused(this.events, this.what, name);
      return null;
    });
  }

  invalidateCaches(): void {
    this.inner.invalidateCaches?.();
  }

  toString(): string {
    return `<${PLUGIN} ${String(this.inner)}>`;
  }
}

// ---- extension modules ---------------------------------------------------------------------------------

/**
 * The extension hook for allowlisted names: it declines (`accepts`) any other name, so directory and
 * archive finders go on to the next suffix as if the file were not there.
 */
function allowlistedExtensionHook(
  inner: FileHook,
  allowed: ReadonlySet<string>,
  events: ImportEvents,
): FileHook {
  return {
    ...inner,
    accepts(fullname, path) {
      if (!allowed.has(fullname)) {
        refused(events, "extension module", fullname, path);
        return false;
      }
      return inner.accepts === undefined || inner.accepts(fullname, path);
    },
    createLoader: (fullname, path) => inner.createLoader(fullname, path),
  };
}

// ---- source ------------------------------------------------------------------------------------------

/** `SourceFileLoader` without the bytecode cache: the `.py` text is compiled on every load. */
export class SourceOnlyFileLoader extends FileLoader {
  readonly pyType = "SourceFileLoader";

  getSource(): string {
    return decodeSource(readFileData(this.env, this.path), this.path);
  }

  getCode(): ModuleCode {
    return compileSourceText(this.env, this.getSource(), this.path);
  }
}

/** The "source" file hook of restricted systems. */
export function sourceOnlyFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "source",
    suffixes: env.profile.sourceSuffixes,
    createLoader: (fullname, path) => new SourceOnlyFileLoader(fullname, path, env),
  };
}
