/**
 * The lone-`.pyc` policy: a `.pyc` file is never a module by itself. In directories the "bytecode" file hook
 * (CPython's `SourcelessFileLoader`, which imports `mod.pyc` where `mod.py` would be) is removed; in zip
 * archives a `.pyc` member without its `.py` member beside it is passed over (`pycMembers: "with-source"`). Nothing else
 * changes: `__pycache__` caches of sources are read and written as before, and an archive's `.pyc` member
 * that has its `.py` beside it is still used when zipimport finds it valid for that source.
 *
 * Why: the "subtle issue" raised on the import-sig list in 1999 — a stray `foo.pyc` left behind after
 * `foo.py` was deleted or renamed keeps `import foo` working with stale code nobody can read. With this
 * policy, a world behaves as the same world without its lone `.pyc` files does in plain CPython (the
 * differential test in test/policies/ holds it to that, with CPython as the judge).
 */
import type { ImportPlugin } from "../plugins/plugin.js";

/** The name of the default file hook for lone bytecode files (see composition-root.ts). */
const BYTECODE_HOOK = "bytecode";

export function ignoreLonePyc(): ImportPlugin {
  return {
    name: "ignoreLonePyc",
    fileHooks(hooks) {
      if (hooks.has(BYTECODE_HOOK)) hooks.remove(BYTECODE_HOOK);
    },
    zipOptions(options) {
      return { ...options, pycMembers: options.pycMembers === "none" ? "none" : "with-source" };
    },
  };
}
