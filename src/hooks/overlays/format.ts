/** The overlay format layer (src/bytecode/overlay-*.ts), as the runtime uses it. */
export {
  buildOverlayPyc,
  hasOverlayDirectory,
  type OverlayDirectory,
  type OverlayEntry,
  OverlayFormatError,
  type OverlayName,
  OverlaySyntaxError,
  overlayNameKey,
  overlayNameRepr,
  readOverlayCode,
  readOverlayDirectory,
  splitOverlaySource,
} from "../../bytecode/index.js";
