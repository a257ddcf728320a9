/**
 * The plugin that registers the program's own frozen modules (e.g. the `frozenModules` constant a module
 * written by `importkit freeze --format ts` exports): the frozen importer serves them and runs their code.
 */
import type { FrozenModuleDefinition } from "../importers/frozen-table.js";
import type { ImportPlugin } from "./plugin.js";

export function frozenModules(definitions: readonly FrozenModuleDefinition[]): ImportPlugin {
  return {
    name: `frozen-modules(${definitions.length})`,
    frozenModules(table) {
      table.register(definitions);
    },
  };
}
