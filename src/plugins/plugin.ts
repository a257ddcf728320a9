/**
 * A plugin edits the default import system before it starts: it may wrap or replace the file system and
 * the executor, and add, remove, replace or reorder file hooks, path hooks and importers. Plugins are
 * applied in the order given, each stage of the pipeline in turn (file system → executor → file hooks →
 * zip options → path hooks → frozen modules → importers → the running system), by the one composition root (composition-root.ts).
 * Every stage is optional; a plugin is plain data plus functions, typed end to end.
 */
import type { AuditHooks } from "../core/audit.js";
import type { ImportEvents } from "../core/events.js";
import type { FileSystem } from "../core/fs/file-system.js";
import type { ImportSystem } from "../core/import-system.js";
import type { Executor, Importer, PathHook } from "../core/interfaces.js";
import type { VersionProfile } from "../core/profile.js";
import type { SysState } from "../core/sys-state.js";
import type { FileHookRegistry } from "../hooks/file-hook-registry.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import type { ZipImportOptions } from "../hooks/zip/zip-importer.js";
import type { FrozenTable } from "../importers/frozen-table.js";
import type { OrderedList } from "./ordered-list.js";

/** What every stage may use. */
export interface PluginContext {
  readonly profile: VersionProfile;
  readonly sys: SysState;
  readonly events: ImportEvents;
  readonly audit: AuditHooks;
}

/** Later stages also get what loaders get: the file system (after plugins), executor, runners. */
export interface LoaderPluginContext extends PluginContext {
  readonly env: LoaderEnvironment;
}

export interface PathHookPluginContext extends LoaderPluginContext {
  /** The file hooks directory and archive finders use (already edited by the plugins). */
  readonly fileHooks: FileHookRegistry;
}

export interface ImportPlugin {
  /** For errors and traces. */
  readonly name: string;
  /** Wrap or replace the file system (every file access of the system goes through the result). */
  fileSystem?(fs: FileSystem, ctx: PluginContext): FileSystem;
  /** Wrap or replace the executor that runs module code. */
  executor?(executor: Executor, ctx: PluginContext): Executor;
  /** Edit the file hooks (default: "extension", "source", "bytecode"). */
  fileHooks?(hooks: FileHookRegistry, ctx: LoaderPluginContext): void;
  /** Change the zip import settings (e.g. a policy for `.pyc` members). */
  zipOptions?(options: ZipImportOptions, ctx: PluginContext): ZipImportOptions;
  /** Edit the path hooks, `sys.path_hooks` (default: "zip", "directory"). */
  pathHooks?(hooks: OrderedList<PathHook>, ctx: PathHookPluginContext): void;
  /** Register the program's own frozen modules (served by the frozen importer, their code run). */
  frozenModules?(table: FrozenTable, ctx: LoaderPluginContext): void;
  /** Edit the importer list, `sys.meta_path` (default: "builtin", "frozen", "path"). */
  importers?(importers: OrderedList<Importer>, ctx: LoaderPluginContext): void;
  /** The system is made: e.g. set `sys` fields or install audit hooks. */
  started?(system: ImportSystem): void;
}

/** Run one stage of every plugin, naming the plugin when it fails. */
export function applyPlugins<S extends keyof ImportPlugin>(
  plugins: readonly ImportPlugin[],
  stage: S,
  run: (plugin: ImportPlugin) => void,
): void {
  for (const plugin of plugins) {
    if (plugin[stage] === undefined) continue;
    try {
      run(plugin);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new PluginError(`plugin '${plugin.name}' failed at its ${stage} stage: ${message}`, {
        cause: error,
      });
    }
  }
}

/** A plugin could not be applied: names the plugin and the stage. */
export class PluginError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PluginError";
  }
}
