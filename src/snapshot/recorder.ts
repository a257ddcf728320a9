/**
 * What `freeze` sees while the application imports: every module's code just before it runs, with the
 * search path it was found on. The last load of a name wins (a reload or a re-import after `del
 * sys.modules[x]` replaces the earlier one), as `sys.modules` would hold it.
 */
import type { FileSystem } from "../core/fs/file-system.js";
import { splitPath } from "../core/fs/file-system.js";
import type { Module } from "../core/module.js";
import { NamespacePath } from "../core/namespace-path.js";
import type { SysState } from "../core/sys-state.js";
import type { PyList } from "../core/values.js";
import type { ModuleCodeObserver } from "../hooks/loader-environment.js";
import type { ModuleCode } from "../hooks/module-code.js";
import { entryPath } from "./stamps.js";

export interface RecordedModule {
  readonly name: string;
  readonly file: string | null;
  readonly origin: string | null;
  readonly loader: string | null;
  readonly package: string;
  readonly path: readonly string[] | null;
  readonly code: ModuleCode;
  /** The search path (sys.path, or the parent's `__path__`) up to the entry that held the module. */
  readonly searchEntries: readonly string[];
}

function entriesOf(path: PyList | NamespacePath): readonly string[] {
  if (path instanceof NamespacePath) return [...path.current];
  return path.items.filter((e): e is string => typeof e === "string");
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

export class SnapshotRecorder {
  readonly records = new Map<string, RecordedModule>();

  constructor(
    private readonly sys: SysState,
    private readonly fs: FileSystem,
  ) {}

  readonly observe: ModuleCodeObserver = (module: Module, code: ModuleCode) => {
    const spec = module.spec;
    const name = module.name;
    const path = module.path;
    const pkg = module.dict.get("__package__");
    this.records.set(name, {
      name,
      file: module.file,
      origin: spec?.origin ?? null,
      loader: spec?.loaderKind ?? null,
      package: typeof pkg === "string" ? pkg : "",
      path: path === undefined ? null : entriesOf(path),
      code,
      searchEntries: this.searchEntries(name, spec?.origin ?? null, path !== undefined),
    });
  };

  /**
   * The entries a path search for `name` walks before it reaches the one holding `origin` (that one
   * included): the directory holding the module file, or the package directory, must be the entry itself.
   * When no entry matches (a custom path hook), the whole search path is kept: any change then counts.
   */
  private searchEntries(name: string, origin: string | null, isPackage: boolean): readonly string[] {
    const dot = name.lastIndexOf(".");
    let entries: readonly string[];
    if (dot < 0) entries = this.sys.path;
    else {
      const parentPath = this.sys.modules.get(name.slice(0, dot))?.path;
      entries = parentPath === undefined ? [] : entriesOf(parentPath);
    }
    if (origin === null) return [...entries];
    let holder = splitPath(origin)[0];
    if (isPackage) holder = splitPath(holder)[0];
    const i = entries.findIndex((entry) => trimSlash(entryPath(this.fs, entry)) === holder);
    return i < 0 ? [...entries] : entries.slice(0, i + 1);
  }
}
