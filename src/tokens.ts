/** Injection tokens of the composition root: explicit symbols, no reliance on emitted type metadata. */
export const FILE_SYSTEM = Symbol("FileSystem");
export const PROFILE = Symbol("VersionProfile");
export const EXECUTOR = Symbol("Executor");
export const BYTECODE_RUNNER = Symbol("BytecodeRunner");
export const SYS = Symbol("SysState");
export const EVENTS = Symbol("ImportEvents");
export const STDLIB_DIR = Symbol("stdlibDir");
export const LOCATION_CACHE = Symbol("LocationCache");
export const LOADER_ENVIRONMENT = Symbol("LoaderEnvironment");
export const FILE_HOOKS = Symbol("FileHookRegistry");
export const PATH_HOOKS = Symbol("PathHook[]");
export const META_PATH = Symbol("Importer[]");
export const PATH_FINDER = Symbol("PathFinder");
export const BUILTIN_IMPORTER = Symbol("BuiltinImporter");
export const FROZEN_IMPORTER = Symbol("FrozenImporter");
export const IMPORT_SYSTEM = Symbol("ImportSystem");
