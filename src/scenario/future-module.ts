/**
 * The contents of `__future__` that scenarios can reach: `from __future__ import annotations` imports the
 * module and binds the feature, a `_Feature` object. The compiler flags (`CO_*`) differ between versions and
 * no scenario reads them, so they are left out rather than guessed.
 */
import { FUTURE_FEATURE_NAMES } from "../core/future-features.js";
import type { Module } from "../core/module.js";
import { PyClass, PyList, PyOpaque } from "../core/values.js";

export { FUTURE_FEATURE_NAMES };

export function addFutureFeatures(module: Module): void {
  module.setAttr("all_feature_names", new PyList([...FUTURE_FEATURE_NAMES]));
  module.setAttr("__all__", new PyList(["all_feature_names", ...FUTURE_FEATURE_NAMES]));
  module.setAttr("_Feature", new PyClass("_Feature", "_Feature", "__future__"));
  for (const feature of FUTURE_FEATURE_NAMES) module.setAttr(feature, new PyOpaque("_Feature"));
}
