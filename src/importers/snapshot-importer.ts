/**
 * The snapshot importer: first in the importer list, it serves the modules a snapshot holds (see
 * src/snapshot and docs/snapshots.md), finder and loader in one like CPython's FrozenImporter.
 *
 * A module is served only while it is what the path would give: the search path starts with the entries
 * it was found through, those entries and its file are unchanged. Otherwise the importer declines and the
 * next importer finds it as usual — or, in strict mode, a changed file raises {@link SnapshotStaleError}.
 * Its spec says where it came from: origin is the snapshot file, the loader is this importer; `__file__`,
 * `__path__` and `__package__` are the module's own, as when it was frozen (loader_state keeps the rest).
 * Code is decoded only when the module is executed.
 */
import { AttributeError, ImportError, SnapshotError, SnapshotStaleError } from "../core/errors.js";
import type { CodeFormat, ImportContext, Importer, Loader } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import { ModuleSpec } from "../core/spec.js";
import { PyList, pyRepr } from "../core/values.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import type { ModuleCode } from "../hooks/module-code.js";
import { runModuleCode } from "../hooks/module-code.js";
import { CodeBytesError, decodeModuleCode } from "../snapshot/code-bytes.js";
import type { Snapshot } from "../snapshot/format.js";
import { moduleCodeBytes } from "../snapshot/format.js";
import type { SnapshotModule } from "../snapshot/index-schema.js";
import { checkModule, DirectoryListings } from "../snapshot/stamps.js";

export interface SnapshotImporterOptions {
  /** A module whose files changed raises SnapshotStaleError instead of falling back (default false). */
  readonly strict?: boolean;
  /** Check search path, entries and files before serving (default true); false trusts the snapshot blindly. */
  readonly validate?: boolean;
}

/** `spec.loader_state` of a module served from a snapshot: where it came from when it was frozen. */
export interface SnapshotLoaderState {
  readonly snapshot: string;
  /** `__file__` (null: none). */
  readonly filename: string | null;
  /** The spec origin and loader class it had when it was frozen. */
  readonly origin: string;
  readonly loader: string;
}

export function isSnapshotLoaderState(value: unknown): value is SnapshotLoaderState {
  return typeof value === "object" && value !== null && "snapshot" in value && "origin" in value;
}

export class SnapshotImporter implements Importer, Loader {
  readonly pyType = "SnapshotImporter";
  private readonly strict: boolean;
  private readonly validate: boolean;
  private readonly codeFormat: CodeFormat | undefined;
  /** Directories listed again after their mtime moved (kept per mtime). */
  private readonly listings = new DirectoryListings();

  constructor(
    readonly snapshot: Snapshot,
    private readonly env: LoaderEnvironment,
    options: SnapshotImporterOptions = {},
  ) {
    this.strict = options.strict ?? false;
    this.validate = options.validate ?? true;
    const { index, filename } = snapshot;
    if (index.profile !== env.profile.name) {
      throw new SnapshotError(
        filename,
        `made for profile ${index.profile}; this system runs ${env.profile.name}`,
      );
    }
    this.codeFormat = env.executor.codeFormat;
    if (index.modules.some((m) => m.code.kind === "executor")) {
      const format = this.codeFormat;
      if (
        format === undefined ||
        format.name !== index.codeFormat.name ||
        format.version !== index.codeFormat.version
      ) {
        const running =
          format === undefined ? "an executor with no code format" : `${format.name} v${format.version}`;
        throw new SnapshotError(
          filename,
          `holds code in ${index.codeFormat.name} v${index.codeFormat.version}; this system's executor reads ${running}`,
        );
      }
    }
  }

  findSpec(
    name: string,
    path: readonly string[] | null,
    _target: Module | null,
    ctx: ImportContext,
  ): ModuleSpec | null {
    const module = this.snapshot.modules.get(name);
    if (module === undefined) return null;
    const tracing = ctx.system.tracing;
    if (this.validate) {
      const problem = checkModule(this.env.fs, module, path ?? this.env.sys.path, this.listings);
      if (problem !== null) {
        if (tracing)
          ctx.system.emit({
            type: "snapshot",
            name,
            snapshot: this.snapshot.filename,
            action: problem.kind,
            reason: problem.reason,
          });
        if (problem.kind === "stale" && this.strict) {
          throw new SnapshotStaleError(
            `${problem.reason}: ${pyRepr(name)} is not served from ${this.snapshot.filename}`,
            {
              name,
              path: module.source.file,
            },
          );
        }
        return null;
      }
    }
    if (tracing)
      ctx.system.emit({ type: "snapshot", name, snapshot: this.snapshot.filename, action: "served" });
    const loaderState: SnapshotLoaderState = {
      snapshot: this.snapshot.filename,
      filename: module.file,
      origin: module.origin,
      loader: module.loader,
    };
    return new ModuleSpec(name, this, {
      origin: this.snapshot.filename,
      loaderState,
      submoduleSearchLocations: module.path === null ? null : new PyList([...module.path]),
    });
  }

  /** A fresh module with `__file__` from the loader state, as FrozenImporter does (the spec has no location). */
  createModule(spec: ModuleSpec, _ctx: ImportContext): Module {
    const module = new Module(spec.name);
    const state = spec.loaderState;
    if (isSnapshotLoaderState(state) && state.filename !== null) module.setAttr("__file__", state.filename);
    return module;
  }

  execModule(module: Module, ctx: ImportContext): Promise<void> {
    const spec = module.spec;
    if (spec === null) throw new AttributeError("'NoneType' object has no attribute 'name'");
    return runModuleCode(this.env, this.getCode(spec.name), module, ctx);
  }

  /** The module's code, decoded from the snapshot now (CRC-checked; a damaged entry raises SnapshotError). */
  getCode(name: string): ModuleCode {
    const module = this.require(name);
    const bytes = moduleCodeBytes(this.snapshot, module);
    try {
      return decodeModuleCode(module.code, bytes, this.codeFormat);
    } catch (error) {
      if (!(error instanceof CodeBytesError)) throw error;
      throw new SnapshotError(this.snapshot.filename, error.reason, { name, cause: error });
    }
  }

  isPackage(name: string): boolean {
    return this.require(name).path !== null;
  }

  /** Snapshots hold code, not source (as frozen modules). */
  getSource(name: string): string | null {
    this.require(name);
    return null;
  }

  private require(name: string): SnapshotModule {
    const module = this.snapshot.modules.get(name);
    if (module === undefined)
      throw new ImportError(`${pyRepr(name)} is not in the snapshot ${this.snapshot.filename}`, { name });
    return module;
  }
}
