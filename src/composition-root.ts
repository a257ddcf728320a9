/**
 * The one place where importkit's default system is assembled. Each part is registered under a token
 * (see tokens.ts) with a factory, so any of them — the file system, the profile, the executor, the file
 * hooks, the path hooks, the importer list — can be replaced by registering another value before the
 * system is resolved. The pipeline reads top to bottom like CPython's start-up:
 * file hooks → path hooks → frozen modules → importers → the import system.
 */
import "reflect-metadata";
import type { DependencyContainer } from "tsyringe";
import { instancePerContainerCachingFactory as once, container as rootContainer } from "tsyringe";
import { ImportEvents } from "./core/events.js";
import { AuditingFileSystem } from "./core/fs/auditing-fs.js";
import type { FileSystem } from "./core/fs/file-system.js";
import { ImportSystem } from "./core/import-system.js";
import type { Executor, Importer, PathHook } from "./core/interfaces.js";
import type { VersionProfile } from "./core/profile.js";
import { loadProfile } from "./core/profile.js";
import { SysState } from "./core/sys-state.js";
import { CodeRunner } from "./exec/bytecode/index.js";
import { ScenarioExecutor } from "./exec/scenario-executor.js";
import { directoryPathHook } from "./hooks/directory-path-hook.js";
import { extensionFileHook } from "./hooks/extension-file-hook.js";
import { FileHookRegistry } from "./hooks/file-hook-registry.js";
import type { LoaderEnvironment } from "./hooks/loader-environment.js";
import { LocationCache } from "./hooks/location-cache.js";
import { sourceFileHook } from "./hooks/source-file-hook.js";
import { sourcelessFileHook } from "./hooks/sourceless-file-hook.js";
import { ZipDirectoryCache } from "./hooks/zip/zip-directory-cache.js";
import type { ZipImportOptions } from "./hooks/zip/zip-importer.js";
import { DEFAULT_ZIP_OPTIONS, zipImportDialect } from "./hooks/zip/zip-options.js";
import { zipPathHook } from "./hooks/zip/zip-path-hook.js";
import { BuiltinImporter } from "./importers/builtin-importer.js";
import { FrozenImporter } from "./importers/frozen-importer.js";
import { FrozenTable } from "./importers/frozen-table.js";
import { PathFinder } from "./importers/path-finder.js";
import { OrderedList } from "./plugins/ordered-list.js";
import type { ImportPlugin, LoaderPluginContext, PluginContext } from "./plugins/plugin.js";
import { applyPlugins } from "./plugins/plugin.js";
import * as T from "./tokens.js";

export interface ImportSystemConfig {
  /** Where files come from (the real disk: `new NodeFileSystem()`; a world in memory: `MemFileSystem`). */
  readonly fs: FileSystem;
  /** A bundled profile name ("cpython-3.11", the default) or a profile. */
  readonly profile?: string | VersionProfile;
  /** Runs module code; the default runs the scenario subset of Python. */
  readonly executor?: Executor;
  /** The standard library directory frozen modules point into (default `/usr/local/lib/pythonX.Y`). */
  readonly stdlibDir?: string;
  /** Zip import settings (default: CRC checked, replaced archives re-read; `CPYTHON_ZIP_OPTIONS` is CPython's). */
  readonly zip?: Partial<ZipImportOptions>;
  /** Edits of the default system, applied in order (see plugins/plugin.ts): hooks, importers, policies. */
  readonly plugins?: readonly ImportPlugin[];
}

/** A child container holding the default wiring for `config`; register overrides on it, then resolve. */
export function createContainer(
  config: ImportSystemConfig,
  parent: DependencyContainer = rootContainer,
): DependencyContainer {
  const c = parent.createChildContainer();
  const profile = typeof config.profile === "object" ? config.profile : loadProfile(config.profile);
  const [major, minor] = profile.versionInfo;

  const plugins = [...(config.plugins ?? [])];
  c.register(T.PROFILE, { useValue: profile });
  const context = (k: DependencyContainer): PluginContext => {
    const sys = k.resolve<SysState>(T.SYS);
    return { profile, sys, events: k.resolve(T.EVENTS), audit: sys.auditHooks };
  };
  const loaderContext = (k: DependencyContainer): LoaderPluginContext => ({
    ...context(k),
    env: k.resolve(T.LOADER_ENVIRONMENT),
  });
  // The file system: the plugins' wrappers, then the audit layer outermost (it sees every access).
  c.register(T.FILE_SYSTEM, {
    useFactory: once((k) => {
      const ctx = context(k);
      let fs = config.fs;
      applyPlugins(plugins, "fileSystem", (p) => {
        fs = p.fileSystem!(fs, ctx);
      });
      return new AuditingFileSystem(fs, ctx.audit);
    }),
  });
  c.register(T.STDLIB_DIR, { useValue: config.stdlibDir ?? `/usr/local/lib/python${major}.${minor}` });
  c.register(T.EXECUTOR, {
    useFactory: once((k) => {
      let executor = config.executor ?? new ScenarioExecutor();
      const ctx = context(k);
      applyPlugins(plugins, "executor", (p) => {
        executor = p.executor!(executor, ctx);
      });
      return executor;
    }),
  });
  c.register(T.BYTECODE_RUNNER, { useFactory: once(() => new CodeRunner()) });
  c.register(T.SYS, { useFactory: once(() => new SysState()) });
  c.register(T.EVENTS, { useFactory: once(() => new ImportEvents()) });
  c.register(T.LOCATION_CACHE, {
    useFactory: once((k) => new LocationCache(k.resolve<FileSystem>(T.FILE_SYSTEM))),
  });
  c.register(T.LOADER_ENVIRONMENT, {
    useFactory: once(
      (k): LoaderEnvironment => ({
        fs: k.resolve(T.FILE_SYSTEM),
        executor: k.resolve(T.EXECUTOR),
        bytecode: k.resolve(T.BYTECODE_RUNNER),
        profile: k.resolve(T.PROFILE),
        sys: k.resolve(T.SYS),
        events: k.resolve(T.EVENTS),
        codeObservers: [],
      }),
    ),
  });
  // File hooks, in CPython's order: extension modules, source, bytecode.
  c.register(T.FILE_HOOKS, {
    useFactory: once((k) => {
      const env = k.resolve<LoaderEnvironment>(T.LOADER_ENVIRONMENT);
      const registry = new FileHookRegistry([
        extensionFileHook(env),
        sourceFileHook(env),
        sourcelessFileHook(env),
      ]);
      const ctx = loaderContext(k);
      applyPlugins(plugins, "fileHooks", (p) => p.fileHooks!(registry, ctx));
      return registry;
    }),
  });
  c.register(T.ZIP_OPTIONS, {
    useFactory: once((k) => {
      let options: ZipImportOptions = { ...DEFAULT_ZIP_OPTIONS, ...config.zip };
      const ctx = context(k);
      applyPlugins(plugins, "zipOptions", (p) => {
        options = p.zipOptions!(options, ctx);
      });
      return options;
    }),
  });
  c.register(T.ZIP_DIRECTORY_CACHE, {
    useFactory: once(
      (k) =>
        new ZipDirectoryCache(
          k.resolve(T.FILE_SYSTEM),
          k.resolve(T.EVENTS),
          zipImportDialect(profile).directory,
        ),
    ),
  });
  // Path hooks, in CPython's order: zip archives, then directories.
  c.register(T.PATH_HOOKS, {
    useFactory: once((k): PathHook[] => {
      const fs = k.resolve<FileSystem>(T.FILE_SYSTEM);
      const fileHooks = k.resolve<FileHookRegistry>(T.FILE_HOOKS);
      const hooks = new OrderedList<PathHook>("path hook");
      hooks.add(
        "zip",
        zipPathHook({
          env: k.resolve(T.LOADER_ENVIRONMENT),
          cache: k.resolve(T.ZIP_DIRECTORY_CACHE),
          fileHooks,
          options: k.resolve(T.ZIP_OPTIONS),
          dialect: zipImportDialect(profile),
        }),
      );
      hooks.add(
        "directory",
        directoryPathHook(fs, fileHooks, k.resolve(T.LOCATION_CACHE), profile, k.resolve(T.EVENTS)),
      );
      const ctx = { ...loaderContext(k), fileHooks };
      applyPlugins(plugins, "pathHooks", (p) => p.pathHooks!(hooks, ctx));
      return hooks.items;
    }),
  });
  c.register(T.BUILTIN_IMPORTER, { useFactory: once((k) => new BuiltinImporter(k.resolve(T.PROFILE))) });
  // The program's own frozen modules, found by the frozen importer before the profile's.
  c.register(T.FROZEN_TABLE, {
    useFactory: once((k) => {
      const table = new FrozenTable();
      const ctx = loaderContext(k);
      applyPlugins(plugins, "frozenModules", (p) => p.frozenModules!(table, ctx));
      return table;
    }),
  });
  c.register(T.FROZEN_IMPORTER, {
    useFactory: once(
      (k) =>
        new FrozenImporter(k.resolve(T.PROFILE), k.resolve(T.STDLIB_DIR), {
          table: k.resolve(T.FROZEN_TABLE),
          env: k.resolve(T.LOADER_ENVIRONMENT),
        }),
    ),
  });
  c.register(T.PATH_FINDER, {
    useFactory: once(
      (k) =>
        new PathFinder(
          k.resolve(T.SYS),
          k.resolve(T.FILE_SYSTEM),
          k.resolve(T.EVENTS),
          minor >= 9 || major > 3,
          minor >= 11 || major > 3,
        ),
    ),
  });
  // The importer list, in CPython's order.
  c.register(T.META_PATH, {
    useFactory: once((k): Importer[] => {
      const importers = new OrderedList<Importer>("importer", [
        ["builtin", k.resolve(T.BUILTIN_IMPORTER)],
        ["frozen", k.resolve(T.FROZEN_IMPORTER)],
        ["path", k.resolve(T.PATH_FINDER)],
      ]);
      const ctx = loaderContext(k);
      applyPlugins(plugins, "importers", (p) => p.importers!(importers, ctx));
      return importers.items;
    }),
  });
  c.register(T.IMPORT_SYSTEM, {
    useFactory: once((k) => {
      const sys = k.resolve<SysState>(T.SYS);
      // Path hooks before importers: plugin stages run in the documented order.
      sys.pathHooks = [...k.resolve<PathHook[]>(T.PATH_HOOKS)];
      sys.metaPath = [...k.resolve<Importer[]>(T.META_PATH)];
      const system = new ImportSystem({
        fs: k.resolve(T.FILE_SYSTEM),
        profile: k.resolve(T.PROFILE),
        executor: k.resolve(T.EXECUTOR),
        sys,
        events: k.resolve(T.EVENTS),
      });
      applyPlugins(plugins, "started", (p) => p.started!(system));
      return system;
    }),
  });
  return c;
}

/** The default import system for `config`: builtin, frozen and path importers; zip and directory path hooks. */
export function createImportSystem(config: ImportSystemConfig): ImportSystem {
  return createContainer(config).resolve<ImportSystem>(T.IMPORT_SYSTEM);
}
