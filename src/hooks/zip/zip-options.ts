/** The zip import settings importkit starts from, and the ones that reproduce CPython exactly. */
import type { VersionProfile } from "../../core/profile.js";
import type { ReadDirectoryOptions } from "../../zip/central-directory.js";
import { DEFAULT_MEMBER_LIMITS } from "../../zip/member-data.js";
import type { ZipImportDialect, ZipImportOptions } from "./zip-importer.js";

const { checkCrc: _, ...limits } = DEFAULT_MEMBER_LIMITS;

/** The library's default: CRC-32 checked, a replaced archive read again, bombs refused. */
export const DEFAULT_ZIP_OPTIONS: ZipImportOptions = { checkCrc: true, revalidate: true, limits };

/**
 * What CPython does (the scenario runner's default): no CRC check, the table kept until
 * `invalidate_caches()`. Decompression limits stay (CPython has none; they only matter for bombs), and
 * unsafe names are refused in both.
 */
export const CPYTHON_ZIP_OPTIONS: ZipImportOptions = { checkCrc: false, revalidate: false, limits };

/** The profile's zipimport: its messages and methods by version, and how it reads a directory. */
export function zipImportDialect(
  profile: VersionProfile,
): ZipImportDialect & { directory: ReadDirectoryOptions } {
  const [major, minor] = profile.versionInfo;
  const atLeast = (m: number) => major > 3 || (major === 3 && minor >= m);
  return {
    reportsLoadFailure: atLeast(10),
    invalidates: atLeast(10),
    cachedFromOrigin: atLeast(10),
    directory: { checkEntryCount: atLeast(13), offsetCheckedAfterName: atLeast(13) },
  };
}
