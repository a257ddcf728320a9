/**
 * The bytecode format layer: marshal (versions 0–5), CPython 3.6–3.14 code-object layouts, pyc headers
 * (PEP 552), source hashes, and the corpus JSON dump format. Pure and leaf: no I/O, no project imports.
 */
export type { CodeLayout, CodeObject } from "./code-object.js";
export {
  CO_FAST_CELL,
  CO_FAST_FREE,
  CO_FAST_HIDDEN,
  CO_FAST_LOCAL,
  type CodeFields,
  type DerivedLocals,
  deriveLocals,
  makeCodeObject,
  namesOfKind,
} from "./code-object-build.js";
export {
  type CorpusFile,
  codeJson,
  corpusJsonText,
  headerJson,
  type JsonObject,
  type JsonValue,
  toCorpusJson,
  valueJson,
} from "./corpus-json.js";
export {
  type DecodedMarshal,
  type DecodeMarshalOptions,
  decodeMarshal,
  type MarshalLimits,
} from "./decode-marshal.js";
export {
  MarshalError,
  type MarshalPythonType,
  PycFormatError,
  type PycFormatProblem,
  type PycPythonType,
} from "./errors.js";
export { formatG17, parsePythonFloatText, pythonFloatRepr } from "./float-text.js";
export {
  layoutForPython,
  MAGIC_TABLE,
  type MagicInfo,
  magicBytes,
  magicForPython,
  magicInfo,
  type PythonMinor,
} from "./magic.js";
export { MAX_MARSHAL_STACK_DEPTH } from "./marshal-reader.js";
export * from "./marshal-values.js";
export { type EncodeMarshalOptions, encodeMarshal, type MarshalVersion } from "./marshal-writer.js";
export { OverlayFormatError, OverlaySyntaxError } from "./overlay-errors.js";
export {
  buildOverlayPyc,
  hasOverlayDirectory,
  OVERLAY_DIRECTORY_FIXED,
  OVERLAY_MIN_ENTRY,
  OVERLAY_MIN_MODULE_END,
  OVERLAY_TAIL_SIZE,
  type OverlayDirectory,
  type OverlayEntry,
  type OverlayPart,
  type OverlayPycParts,
  type OverlayRead,
  overlayDirectoryIn,
  readOverlayCode,
  readOverlayDirectory,
} from "./overlay-file.js";
export { buildLinearOverlayFile, findLinearOverlay, LINEAR_FIRST_CHUNK } from "./overlay-linear.js";
export {
  isReservedOverlayName,
  isValidOverlayName,
  MAX_OVERLAY_NAME_DEPTH,
  type OverlayName,
  overlayNameKey,
  overlayNameRepr,
} from "./overlay-name.js";
export { type OverlaySplit, type OverlaySplitPart, splitOverlaySource } from "./overlay-split.js";
export { type Pyc, type ReadPycOptions, readPyc, writePyc } from "./pyc.js";
export {
  type HashPycHeader,
  hashPycHeader,
  type PycHeader,
  type PycHeaderResult,
  type ReadPycHeaderOptions,
  readPycHeader,
  type TimestampPycHeader,
  timestampPycHeader,
  writePycHeader,
} from "./pyc-header.js";
export { validateHashPyc, validateTimestampPyc } from "./pyc-validate.js";
export { type SipHashVariant, sipHash, sourceHash, sourceHashVariant } from "./siphash.js";
