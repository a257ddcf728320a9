/**
 * Until zip import exists (issue #5), a zip archive on the path must not be silently skipped (CPython
 * would import from it): this path hook recognises archives — an entry that is a zip file, or a path
 * inside one — and fails loudly. Anything else it declines, as CPython's zipimporter does.
 */
import { NotSupportedError } from "../core/errors.js";
import type { FileSystem } from "../core/fs/file-system.js";
import type { PathHook } from "../core/interfaces.js";

const EOCD = [0x50, 0x4b, 0x05, 0x06];
const MAX_COMMENT = 0xffff;

export function zipArchiveDetector(fs: FileSystem): PathHook {
  return {
    name: "zipimporter",
    createFinder(entry) {
      // zipimporter walks up from the entry to the first prefix that exists; it must be a file.
      let prefix = entry;
      for (;;) {
        const stat = fs.stat(prefix);
        if (stat) {
          if (stat.kind === "file" && looksLikeZip(fs, prefix, stat.size)) {
            throw new NotSupportedError(
              `zip archives on the path are not supported yet (issue #5): ${entry}`,
            );
          }
          return null;
        }
        const slash = prefix.lastIndexOf("/");
        if (slash <= 0) return null;
        prefix = prefix.slice(0, slash);
      }
    },
  };
}

function looksLikeZip(fs: FileSystem, path: string, size: number): boolean {
  if (size < 22) return false;
  const length = Math.min(size, MAX_COMMENT + 22);
  let tail: Uint8Array;
  try {
    tail = fs.read(path, size - length, length);
  } catch {
    return false;
  }
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === EOCD[0] && tail[i + 1] === EOCD[1] && tail[i + 2] === EOCD[2] && tail[i + 3] === EOCD[3])
      return true;
  }
  return false;
}
