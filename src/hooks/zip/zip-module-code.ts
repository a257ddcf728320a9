/**
 * zipimport's `_get_module_code`: which member a module comes from and its code. The search order is
 * zipimport's own — `pkg/__init__.pyc`, `pkg/__init__.py`, `mod.pyc`, `mod.py` — and a `.pyc` is used only
 * when its header is good and matches its source member (the `.py` beside it): timestamp pycs against the
 * source entry's DOS time (±1 s) and size, hash-based ones against the source's hash as the profile's
 * `check_hash_based_pycs` says. A bad or stale pyc falls through to the next candidate.
 */
import { sourceHash } from "../../bytecode/index.js";
import { u32 } from "../../bytecode/little-endian.js";
import { decodeUtf8Strict } from "../../bytecode/utf8.js";
import {
  ImportError,
  NotSupportedError,
  TypeError_,
  UnicodeDecodeError,
  ZipImportError,
} from "../../core/errors.js";
import { pyRepr } from "../../core/values.js";
import type { ZipEntry } from "../../zip/central-directory.js";
import { parseDosTime } from "../../zip/dos-time.js";
import type { LoaderEnvironment } from "../loader-environment.js";
import {
  compileSourceText,
  isCodeObject,
  type ModuleCode,
  pythonVersion,
  unmarshalPycBody,
} from "../module-code.js";
import { memberOverlayOrigin } from "../overlays/attach.js";
import { classifyPyc, validateHashPyc } from "../pyc-validation.js";
import { decodeSource } from "../source-text.js";

/** The archive as the code search sees it: its entries and a way to read one. */
export interface ArchiveFiles {
  readonly files: ReadonlyMap<string, ZipEntry>;
  read(entry: ZipEntry): Uint8Array;
}

export interface ZipModuleCode {
  /**
   * The code; or, for source the executor cannot compile (outside its subset), the NotSupportedError to
   * raise when the code is run — CPython's compile would have succeeded or failed, importkit cannot tell,
   * so the find goes on with this member (finding never runs the code) and `get_code` fails loudly.
   */
  readonly code: ModuleCode | NotSupportedError;
  readonly isPackage: boolean;
  /** `toc_entry[0]` of the member used: the module's `__file__`. */
  readonly modpath: string;
}

/** `_zip_searchorder`: (suffix, is bytecode, is package). */
export const ZIP_SEARCH_ORDER: readonly (readonly [string, boolean, boolean])[] = [
  ["/__init__.pyc", true, true],
  ["/__init__.py", false, true],
  [".pyc", true, false],
  [".py", false, false],
];

/** zipimport's messages for "nothing usable" differ before 3.10 (no "module load failed: …"). */
export interface ZipCodeDialect {
  readonly reportsLoadFailure: boolean;
}

/**
 * Which `.pyc` members of an archive are modules: "all" (CPython), "with-source" (a lone `.pyc`, without
 * its `.py` beside it, is passed over) or "none" (bytecode members are never used; sources are compiled).
 */
export type PycMembers = "all" | "with-source" | "none";

/** Whether zipimport's search should pass over this member, as `pycMembers` says. */
export function skipsMember(
  files: ReadonlyMap<string, unknown>,
  fullpath: string,
  isBytecode: boolean,
  pycMembers: PycMembers | undefined,
): boolean {
  if (!isBytecode || pycMembers === undefined || pycMembers === "all") return false;
  return pycMembers === "none" || !files.has(fullpath.slice(0, -1));
}

/** `_get_module_code(self, fullname)`: `path` is the module's path in the archive without suffix. */
export function zipModuleCode(
  env: LoaderEnvironment,
  archive: ArchiveFiles,
  path: string,
  fullname: string,
  dialect: ZipCodeDialect,
  /** A policy, not CPython: which `.pyc` members the search may use (default "all"). */
  pycMembers: PycMembers = "all",
): ZipModuleCode {
  let importError: ImportError | null = null;
  for (const [suffix, isBytecode, isPackage] of ZIP_SEARCH_ORDER) {
    const fullpath = path + suffix;
    const entry = archive.files.get(fullpath);
    if (entry === undefined || skipsMember(archive.files, fullpath, isBytecode, pycMembers)) continue;
    const data = archive.read(entry);
    let code: ModuleCode | NotSupportedError | null = null;
    if (isBytecode) {
      try {
        code = unmarshalCode(env, archive, entry.path, fullpath, fullname, data);
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        importError = error;
      }
    } else {
      // `_compile_source`: the encoding found as compile() finds it (BOM, coding cookie, else UTF-8).
      const source = decodeSource(data, entry.path);
      try {
        code = compileSourceText(env, source, entry.path);
      } catch (error) {
        if (!(error instanceof NotSupportedError)) throw error;
        code = error;
      }
    }
    if (code === null) continue;
    return { code, isPackage, modpath: entry.path };
  }
  if (importError !== null && dialect.reportsLoadFailure) {
    throw new ZipImportError(`module load failed: ${importError.message}`, {
      name: fullname,
      cause: importError,
    });
  }
  throw new ZipImportError(`can't find module ${pyRepr(fullname)}`, { name: fullname });
}

/**
 * `_unmarshal_code`: null for a stale pyc; an ImportError for a bad header (the caller tries the next
 * candidate); marshal failures and non-code objects raise (they are not ImportErrors).
 */
function unmarshalCode(
  env: LoaderEnvironment,
  archive: ArchiveFiles,
  pathname: string,
  fullpath: string,
  fullname: string,
  data: Uint8Array,
): ModuleCode | null {
  const { profile } = env;
  const details = { name: fullname, path: fullpath };
  const flags = classifyPyc(data, profile.magicNumber, details);
  const source = archive.files.get(fullpath.slice(0, -1));
  if (flags.hashBased) {
    const mode = profile.checkHashBasedPycs;
    if (mode !== "never" && (flags.checkSource || mode === "always") && source !== undefined) {
      validateHashPyc(data, sourceHash(archive.read(source), profile.magicNumber), details);
    }
  } else if (source !== undefined) {
    const sourceMtime = parseDosTime(source.dosDate, source.dosTime);
    const pycMtime = u32(data, 8);
    // `if source_mtime:` — a zero time (never from a real DOS date) skips the check, as in CPython.
    if (sourceMtime !== 0 && (Math.abs(pycMtime - sourceMtime) > 1 || u32(data, 12) !== source.size)) {
      if (env.events.active)
        env.events.emit({ type: "note", message: `bytecode is stale for ${pyRepr(fullname)}` });
      return null;
    }
  }
  const { value, end } = unmarshalPycBody(env, data, fullname, pathname);
  if (!isCodeObject(value)) throw new TypeError_(`compiled module ${pyRepr(pathname)} is not a code object`);
  const version = pythonVersion(profile);
  // importkit's extension: an overlay directory after the code object (zipimport ignores what follows it).
  const overlays = memberOverlayOrigin(data, end, pathname, { kind: "cpython", version, filename: pathname });
  return { kind: "cpython", code: value, version, filename: pathname, ...(overlays && { overlays }) };
}

/** `get_source`: the member's text, `bytes.decode()` (strict UTF-8, line endings kept). */
export function memberSourceText(data: Uint8Array): string {
  const text = decodeUtf8Strict(data);
  if (typeof text !== "string") throw new UnicodeDecodeError(text.message());
  return text;
}
