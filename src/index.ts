/** importkit's public API. */

export { createContainer, createImportSystem, type ImportSystemConfig } from "./composition-root.js";
export { type AuditEvent, type AuditHook, AuditHooks } from "./core/audit.js";
export { type Awaitable, andThen, isPromise } from "./core/awaitable.js";
export { cachedPathFor, cacheFromSource } from "./core/cache-path.js";
export * from "./core/errors.js";
export { type ImportEvent, type ImportEventListener, ImportEvents } from "./core/events.js";
export { AuditingFileSystem } from "./core/fs/auditing-fs.js";
export { CountingFileSystem } from "./core/fs/counting-fs.js";
export type { DirEntry, EntryKind, FileStat, FileSystem } from "./core/fs/file-system.js";
export { FileSystemError, joinPath, splitPath } from "./core/fs/file-system.js";
export { MemFileSystem, type MemFiles } from "./core/fs/mem-fs.js";
export { NodeFileSystem } from "./core/fs/node-fs.js";
export { importFrom, importStar } from "./core/import-statement.js";
export { ImportSystem, initModuleAttrs } from "./core/import-system.js";
export type {
  ArchiveMember,
  CodeFormat,
  CompiledCode,
  Executor,
  FileHook,
  ImportContext,
  Importer,
  ImportSystemApi,
  ImportTask,
  Loader,
  PathEntryFinder,
  PathHook,
} from "./core/interfaces.js";
export { Module } from "./core/module.js";
export { NamespaceLoader } from "./core/namespace-loader.js";
export { NamespacePath, type SearchPath, searchPathEntries } from "./core/namespace-path.js";
export {
  DEFAULT_PROFILE,
  type FrozenModuleInfo,
  loadProfile,
  profileNames,
  type VersionProfile,
} from "./core/profile.js";
export { ModuleSpec } from "./core/spec.js";
export { SysState } from "./core/sys-state.js";
export * from "./core/values.js";
export { ScenarioExecutor } from "./exec/scenario-executor.js";
export { DirectoryFinder } from "./hooks/directory-finder.js";
export { directoryPathHook } from "./hooks/directory-path-hook.js";
export { ExtensionFileLoader, extensionFileHook } from "./hooks/extension-file-hook.js";
export { FileHookRegistry, type SuffixHook } from "./hooks/file-hook-registry.js";
export {
  decodeGeneratedCache,
  encodeGeneratedCache,
  generatedCachePath,
} from "./hooks/generators/generated-cache-file.js";
export type { Generator, GeneratorInput } from "./hooks/generators/generator.js";
export {
  GeneratedModuleLoader,
  GeneratorFileHook,
  generatorFileHook,
} from "./hooks/generators/generator-file-hook.js";
export {
  type IslInterface,
  IslSyntaxError,
  islGenerator,
  parseIsl,
} from "./hooks/generators/isl/index.js";
export type { LoaderEnvironment } from "./hooks/loader-environment.js";
export { LocationCache } from "./hooks/location-cache.js";
export {
  buildImportkitOverlayPyc,
  type LoadOverlayOptions,
  loadOverlay,
  type ModuleOverlays,
  OverlayError,
} from "./hooks/overlays/index.js";
export { decodeSource, SourceFileLoader, sourceFileHook } from "./hooks/source-file-hook.js";
export { SourcelessFileLoader, sourcelessFileHook } from "./hooks/sourceless-file-hook.js";
export { specFromFileLocation } from "./hooks/spec-from-file.js";
export { ArchiveIndex, ZipDirectoryCache } from "./hooks/zip/zip-directory-cache.js";
export {
  type ZipImportDialect,
  ZipImporter,
  type ZipImporterContext,
  type ZipImportOptions,
} from "./hooks/zip/zip-importer.js";
export { type PycMembers, ZIP_SEARCH_ORDER } from "./hooks/zip/zip-module-code.js";
export { CPYTHON_ZIP_OPTIONS, DEFAULT_ZIP_OPTIONS, zipImportDialect } from "./hooks/zip/zip-options.js";
export { zipPathHook } from "./hooks/zip/zip-path-hook.js";
export { BuiltinImporter } from "./importers/builtin-importer.js";
export { FrozenImporter } from "./importers/frozen-importer.js";
export { type FrozenCode, type FrozenModuleDefinition, FrozenTable } from "./importers/frozen-table.js";
export { PathFinder } from "./importers/path-finder.js";
export {
  isSnapshotLoaderState,
  SnapshotImporter,
  type SnapshotImporterOptions,
  type SnapshotLoaderState,
} from "./importers/snapshot-importer.js";
export { frozenModules } from "./plugins/frozen-modules.js";
export { generators } from "./plugins/generators.js";
export { editLists, type ListEdit, type MoveEdit } from "./plugins/list-edits.js";
export { OrderedList, type Placement } from "./plugins/ordered-list.js";
export {
  applyPlugins,
  type ImportPlugin,
  type LoaderPluginContext,
  type PathHookPluginContext,
  type PluginContext,
  PluginError,
} from "./plugins/plugin.js";
export { type SnapshotSource, snapshot } from "./plugins/snapshot.js";
export {
  AllowlistImporter,
  auditImports,
  ignoreLonePyc,
  type RestrictedImportsOptions,
  restrictedImports,
  SourceOnlyFileLoader,
  sourceOnlyFileHook,
  vetoImports,
} from "./policies/index.js";
export { createResolver, type ResolverConfig } from "./resolve/create-resolver.js";
export { describeSpec, findSpecSync, type Resolution, Resolver } from "./resolve/resolver.js";
export { decodeSnapshot, encodeSnapshot, type Snapshot, type SnapshotContent } from "./snapshot/format.js";
export {
  FreezeError,
  type FreezeOptions,
  type FreezeResult,
  freeze,
  type SnapshotRecording,
  snapshotRecording,
} from "./snapshot/freeze.js";
export { frozenDefinitions, frozenTypeScript } from "./snapshot/frozen-ts.js";
export type { EntryStamp, SnapshotIndex, SnapshotModule, SourceIdentity } from "./snapshot/index-schema.js";
export * as tokens from "./tokens.js";
export {
  archiveMemberPath,
  type ReadDirectoryOptions,
  readZipDirectory,
  type ZipDirectory,
  type ZipEntry,
} from "./zip/central-directory.js";
export { parseDosTime } from "./zip/dos-time.js";
export {
  DEFAULT_MEMBER_LIMITS,
  type MemberLimits,
  readMemberData,
  readRawMember,
} from "./zip/member-data.js";
