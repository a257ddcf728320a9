/**
 * The import-related state CPython keeps in `sys`: the module registry, the importer list, the path, the
 * path hooks and the path-importer cache. Importers and the import algorithm share one instance.
 */
import { AuditHooks } from "./audit.js";
import type { Importer, PathEntryFinder, PathHook } from "./interfaces.js";
import type { Module } from "./module.js";

export class SysState {
  /** `sys.modules`; a null value blocks the import of that name, as None does in CPython. */
  readonly modules = new Map<string, Module | null>();
  /** `sys.meta_path`: asked in order. */
  metaPath: Importer[] = [];
  /** `sys.path`. */
  path: string[] = [];
  /** `sys.path_hooks`: asked in order for a path entry without a cached finder. */
  pathHooks: PathHook[] = [];
  /** `sys.path_importer_cache`: null for entries no hook accepted. */
  readonly pathImporterCache = new Map<string, PathEntryFinder | null>();
  /** `_NamespacePath._epoch`: bumped by invalidateCaches() so namespace paths recompute. */
  namespaceEpoch = 0;
  /** `sys.addaudithook` / `sys.audit`: hooks that see (and may veto) imports, path-entry probes and file access. */
  readonly auditHooks = new AuditHooks();
  /** `sys.dont_write_bytecode`. */
  dontWriteBytecode = true;
}
