/** A resolver over the default wiring (same path hooks, file hooks and location cache as imports use). */

import type { ImportSystemConfig } from "../composition-root.js";
import { createContainer } from "../composition-root.js";
import type { ImportSystem } from "../core/import-system.js";
import type { Importer } from "../core/interfaces.js";
import * as T from "../tokens.js";
import { Resolver } from "./resolver.js";

export interface ResolverConfig extends ImportSystemConfig {
  /** The path to search (`sys.path`). */
  readonly path: readonly string[];
  /** Ask the whole importer list (built-in, frozen, path) instead of the path importer alone. */
  readonly allImporters?: boolean;
}

export function createResolver(config: ResolverConfig): { resolver: Resolver; system: ImportSystem } {
  const c = createContainer(config);
  const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
  system.path = [...config.path];
  const importers: Importer[] = config.allImporters ? system.metaPath : [c.resolve<Importer>(T.PATH_FINDER)];
  return { resolver: new Resolver(importers, system.newContext()), system };
}
