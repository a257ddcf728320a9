/**
 * The plugin that registers generators as file hooks, after CPython's own (so `calc.py` beats `calc.isl`);
 * give a placement to put them elsewhere. Directories and zip archives both use them.
 */
import type { Generator } from "../hooks/generators/generator.js";
import { generatorFileHook } from "../hooks/generators/generator-file-hook.js";
import type { Placement } from "./ordered-list.js";
import type { ImportPlugin } from "./plugin.js";

export function generators(list: readonly Generator[], where: Placement = "last"): ImportPlugin {
  return {
    name: `generators(${list.map((g) => g.name).join(", ")})`,
    fileHooks(hooks, { env }) {
      // Added in order at one place: each after the previous one.
      let at = where;
      for (const generator of list) {
        const hook = generatorFileHook(generator, env);
        hooks.add(hook, at);
        at = { after: hook.name };
      }
    },
  };
}
