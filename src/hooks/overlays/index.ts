/** Overlays at run time: see runtime.ts (semantics) and attach.ts (how loaders attach them). */
export type { LoadOverlayOptions, ModuleOverlays } from "../../core/module.js";
export { OverlayError } from "../../core/module.js";
export {
  attachOverlays,
  buildImportkitOverlayPyc,
  fileOverlayOrigin,
  importkitOverlayPyc,
  loadOverlay,
} from "./attach.js";
export {
  AttachedOverlays,
  type FileOverlayOrigin,
  type MemoryOverlayOrigin,
  type OverlayCodeKind,
  type OverlayOrigin,
} from "./runtime.js";
