/**
 * Getting a module's code as CPython's loaders do (`SourceLoader.get_code`, `SourcelessFileLoader.get_code`,
 * `_compile_bytecode`): the bytecode cache is read and validated first, a stale or foreign one is ignored,
 * a valid header with a corrupt body raises what `marshal.loads` raises, and the cache is written back when
 * `dont_write_bytecode` is off. CPython code objects run on the bytecode runner; source runs on the executor.
 */
import type { CodeObject } from "../bytecode/index.js";
import { decodeMarshal, layoutForPython, MarshalError, sourceHash } from "../bytecode/index.js";
import { cacheFromSource } from "../core/cache-path.js";
import {
  EOFError,
  ImportError,
  OSError,
  type PyBaseException,
  PyException,
  pythonExceptionTypes,
} from "../core/errors.js";
import { FileSystemError, splitPath } from "../core/fs/file-system.js";
import type { CompiledCode, ImportContext } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { VersionProfile } from "../core/profile.js";
import { pyRepr } from "../core/values.js";
import { encodeImportkitPyc, IMPORTKIT_MAGIC, importkitPycBody, isImportkitPyc } from "./importkit-pyc.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { readFileData } from "./loader-environment.js";
import {
  attachOverlays,
  fileOverlayOrigin,
  importkitOverlayPyc,
  mayHaveOverlays,
  splitSource,
} from "./overlays/attach.js";
import type { OverlayOrigin } from "./overlays/runtime.js";
import { classifyPyc, mtimeSeconds, validateHashPyc, validateTimestampPyc } from "./pyc-validation.js";
import { decodeSource } from "./source-text.js";

/**
 * What a loader runs: a CPython code object from a pyc, or code the executor compiled; with the overlays
 * the file holds (or importkit compiled from the source), attached to the module before it runs.
 */
export type ModuleCode = (
  | {
      readonly kind: "cpython";
      readonly code: CodeObject;
      readonly version: string;
      readonly filename: string;
    }
  | { readonly kind: "executor"; readonly code: CompiledCode }
) & { readonly overlays?: OverlayOrigin };

export function runModuleCode(
  env: LoaderEnvironment,
  code: ModuleCode,
  module: Module,
  ctx: ImportContext,
): Promise<void> {
  const observers = env.codeObservers;
  if (observers !== undefined && observers.length > 0) for (const observe of observers) observe(module, code);
  if (code.overlays !== undefined) attachOverlays(env, module, code.overlays, ctx);
  if (code.kind === "cpython")
    return env.bytecode.run(code.code, module, ctx, code.version, { filename: code.filename });
  return Promise.resolve(env.executor.exec(code.code, module, ctx));
}

/** The profile's `major.minor`, which names its bytecode dialect. */
export function pythonVersion(profile: VersionProfile): string {
  return `${profile.versionInfo[0]}.${profile.versionInfo[1]}`;
}

/**
 * `marshal.loads(data[16:])` with the profile's code layout: the value and where it ends. Marshal failures
 * raise the exception `marshal.loads` raises, with CPython's message.
 */
export function unmarshalPycBody(
  env: LoaderEnvironment,
  data: Uint8Array,
  name: string,
  bytecodePath: string,
): { value: unknown; end: number } {
  const version = pythonVersion(env.profile);
  const layout = layoutForPython(version);
  if (layout === undefined)
    throw new ImportError(`no code layout known for CPython ${version}`, { name, path: bytecodePath });
  try {
    return decodeMarshal(data, {
      layout,
      offset: 16,
      filename: bytecodePath,
      marshalVersion: version === "3.14" ? 5 : 4,
    });
  } catch (error) {
    if (error instanceof MarshalError) throw marshalException(error);
    throw error;
  }
}

export function isCodeObject(value: unknown): value is CodeObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as CodeObject).type === "code"
  );
}

/**
 * `_compile_bytecode`: the code object after a pyc's header. Marshal failures raise the exception
 * `marshal.loads` raises; anything but a code object is "Non-code object".
 */
export function compileBytecode(
  env: LoaderEnvironment,
  data: Uint8Array,
  name: string,
  bytecodePath: string,
  sourcePath: string | null,
): ModuleCode {
  const { value, end } = unmarshalPycBody(env, data, name, bytecodePath);
  if (!isCodeObject(value)) {
    throw new ImportError(`Non-code object in ${pyRepr(bytecodePath)}`, { name, path: bytecodePath });
  }
  const version = pythonVersion(env.profile);
  const filename = sourcePath ?? bytecodePath;
  const overlays = fileOverlayOrigin(env, data, end, bytecodePath, { kind: "cpython", version, filename });
  return { kind: "cpython", code: value, version, filename, ...(overlays && { overlays }) };
}

/**
 * Source text compiled for the executor, its `overlay` sections (if any) kept in memory: what a loader
 * that writes no bytecode cache runs (zipimport's `_compile_source`, the fallback of `get_code`).
 */
export function compileSourceText(env: LoaderEnvironment, source: string, path: string): ModuleCode {
  const split = mayHaveOverlays(source) ? splitSource(source, path) : null;
  const code = env.executor.compile(split === null ? source : split.module, path);
  if (split === null || split.overlays.length === 0) return { kind: "executor", code };
  return { kind: "executor", code, overlays: { kind: "memory", filename: path, overlays: split.overlays } };
}

/** The code of a trusted importkit pyc (and its overlays), or null when its body is not importkit code. */
function importkitModuleCode(
  env: LoaderEnvironment,
  data: Uint8Array,
  bytecodePath: string,
  filename: string,
): ModuleCode | null {
  const body = importkitPycBody(data, bytecodePath);
  if (body === null) return null;
  const code = env.executor.compile(body.text, filename);
  const overlays = fileOverlayOrigin(env, data, body.end, bytecodePath, { kind: "importkit", filename });
  return { kind: "executor", code, ...(overlays && { overlays }) };
}

/** The Python exception for a marshal failure, with CPython's message. */
function marshalException(error: MarshalError): PyBaseException {
  const type = pythonExceptionTypes.get(error.pythonType) ?? PyException;
  return new type(error.reason, { cause: error });
}

/** `SourceLoader.get_code` for a `.py` file. */
export function sourceModuleCode(env: LoaderEnvironment, fullname: string, sourcePath: string): ModuleCode {
  const { fs, profile, sys } = env;
  const bytecodePath = cacheFromSource(sourcePath, profile);
  let sourceMtime: number | null = null;
  let sourceBytes: Uint8Array | null = null;
  let hashBased = false;
  let checkSource = true;
  if (bytecodePath !== null) {
    const stat = fs.stat(sourcePath);
    if (stat) {
      sourceMtime = mtimeSeconds(stat.mtimeMs);
      const data = readIfPresent(env, bytecodePath);
      if (data !== null) {
        const details = { name: fullname, path: bytecodePath };
        const own = isImportkitPyc(data);
        const magic = own ? IMPORTKIT_MAGIC : profile.magicNumber;
        let trusted = false;
        try {
          const flags = classifyPyc(data, magic, details);
          hashBased = flags.hashBased;
          if (hashBased) {
            checkSource = flags.checkSource;
            const mode = profile.checkHashBasedPycs;
            if (mode !== "never" && (checkSource || mode === "always")) {
              sourceBytes = readFileData(env, sourcePath);
              validateHashPyc(data, sourceHash(sourceBytes, magic), details);
            }
          } else {
            validateTimestampPyc(data, sourceMtime, stat.size, details);
          }
          trusted = true;
        } catch (error) {
          // A stale, foreign or short cache is ignored; the source is compiled instead.
          if (!(error instanceof ImportError || error instanceof EOFError)) throw error;
        }
        if (trusted) {
          // Outside the try, as in CPython: a trusted header with a corrupt body raises.
          if (!own) return compileBytecode(env, data, fullname, bytecodePath, sourcePath);
          // A trusted importkit cache runs the code it holds, as CPython runs a trusted pyc.
          const code = importkitModuleCode(env, data, bytecodePath, sourcePath);
          if (code !== null) return code;
        }
      }
    }
  }
  sourceBytes ??= readFileData(env, sourcePath);
  const source = decodeSource(sourceBytes, sourcePath);
  // `overlay` statements: the module part runs now, the overlays on demand (see src/hooks/overlays).
  const split = mayHaveOverlays(source) ? splitSource(source, sourcePath) : null;
  const overlays = split !== null && split.overlays.length > 0 ? split.overlays : null;
  const code = env.executor.compile(split === null ? source : split.module, sourcePath);
  if (!sys.dontWriteBytecode && bytecodePath !== null && sourceMtime !== null) {
    const header = hashBased
      ? {
          hash: { sourceHash: sourceHash(sourceBytes, IMPORTKIT_MAGIC), checkSource },
          mtime: 0,
          sourceSize: 0,
        }
      : { hash: null, mtime: sourceMtime, sourceSize: sourceBytes.length };
    if (overlays === null) {
      cacheBytecode(env, bytecodePath, encodeImportkitPyc(split === null ? source : split.module, header));
    } else {
      // Written in the overlay format; the overlays are then loaded from that file.
      const data = importkitOverlayPyc(split!.module, overlays, header);
      if (cacheBytecode(env, bytecodePath, data)) {
        const origin = fileOverlayOrigin(
          env,
          data,
          importkitPycBody(data, bytecodePath)?.end ?? data.length,
          bytecodePath,
          { kind: "importkit", filename: sourcePath },
        );
        if (origin !== undefined) return { kind: "executor", code, overlays: origin };
      }
    }
  }
  // No cache written: the overlays stay in memory, compiled on first load.
  if (overlays !== null)
    return { kind: "executor", code, overlays: { kind: "memory", filename: sourcePath, overlays } };
  return { kind: "executor", code };
}

/** `SourcelessFileLoader.get_code`: the header is checked (no source to validate against), then decoded. */
export function sourcelessModuleCode(env: LoaderEnvironment, fullname: string, path: string): ModuleCode {
  const data = readFileData(env, path);
  if (isImportkitPyc(data)) {
    // importkit's own format (e.g. an overlay pyc built by `importkit overlay build`).
    classifyPyc(data, IMPORTKIT_MAGIC, { name: fullname, path });
    const code = importkitModuleCode(env, data, path, path);
    if (code === null) throw new ImportError(`Non-code object in ${pyRepr(path)}`, { name: fullname, path });
    return code;
  }
  classifyPyc(data, env.profile.magicNumber, { name: fullname, path });
  return compileBytecode(env, data, fullname, path, null);
}

/** `get_data` where a missing or unreadable file just means "no cache" (CPython catches OSError there). */
export function readIfPresent(env: LoaderEnvironment, path: string): Uint8Array | null {
  try {
    return readFileData(env, path);
  } catch (error) {
    if (error instanceof OSError) return null;
    throw error;
  }
}

/** `SourceFileLoader.set_data`: create the missing directories, write; failures are only noted, as in CPython. */
export function cacheBytecode(env: LoaderEnvironment, path: string, data: Uint8Array): boolean {
  const { fs, events } = env;
  try {
    const [parent] = splitPath(path);
    if (fs.stat(parent)?.kind !== "dir") fs.mkdir(parent);
    fs.writeFile(path, data);
    if (events.active)
      events.emit({ type: "note", message: `wrote bytecode cache ${path} (${data.length} bytes)` });
    return true;
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    if (events.active) events.emit({ type: "note", message: `could not write ${path}: ${error.code}` });
    return false;
  }
}
