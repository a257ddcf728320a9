/**
 * The zip path hook: `zipimporter(path)` for every path entry, first among the path hooks as in CPython.
 * It walks up from the entry to the first prefix that exists; that must be a regular file holding a zip
 * archive, and the rest of the entry is the directory inside it. Anything else is declined (CPython's
 * ZipImportError), so the next hook — or `None` in the path-importer cache — takes the entry. A directory
 * cut short raises EOFError, and a name that is not UTF-8 despite its flag UnicodeDecodeError, which CPython
 * does not catch either.
 */
import { andThen } from "../../core/awaitable.js";
import { ZipImportError } from "../../core/errors.js";
import type { FileStat } from "../../core/fs/file-system.js";
import type { PathHook } from "../../core/interfaces.js";
import { ZipImporter, type ZipImporterContext } from "./zip-importer.js";

/** `_path_split`: everything before the last "/" and everything after it. */
function pathSplit(path: string): [string, string] {
  const i = path.lastIndexOf("/");
  return i < 0 ? ["", path] : [path.slice(0, i), path.slice(i + 1)];
}

export function zipPathHook(ctx: ZipImporterContext): PathHook {
  const { fs, events } = ctx.env;
  return {
    name: "zipimporter",
    createFinder(entry) {
      if (entry === "") return null; // 'archive path is empty'
      let archive = entry;
      const inside: string[] = [];
      let stat: FileStat | undefined;
      for (;;) {
        stat = archive === "" ? undefined : fs.stat(archive);
        if (stat !== undefined) break;
        const [dirname, basename] = pathSplit(archive);
        if (dirname === archive) return null; // 'not a Zip file'
        archive = dirname;
        inside.push(basename);
      }
      if (stat.kind !== "file") return null;
      const prefixParts = inside.reverse().filter((p) => p !== "");
      const prefix = prefixParts.length === 0 ? "" : `${prefixParts.join("/")}/`;
      try {
        return andThen(
          ctx.cache.get(archive, stat),
          (index) => new ZipImporter(archive, prefix, index, ctx),
          (error) => declined(error),
        );
      } catch (error) {
        return declined(error);
      }

      function declined(error: unknown): null {
        if (!(error instanceof ZipImportError)) throw error;
        if (events.active)
          events.emit({ type: "note", message: `zipimporter(${JSON.stringify(entry)}): ${error.message}` });
        return null;
      }
    },
  };
}
