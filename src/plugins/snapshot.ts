/**
 * The plugin that puts a snapshot importer first in the importer list. The snapshot file is read (through
 * the system's file system, so audit hooks see it) and its index checked when the system is made: a
 * missing, truncated or tampered snapshot fails there, naming the file and the reason.
 */
import { SnapshotError } from "../core/errors.js";
import { FileSystemError } from "../core/fs/file-system.js";
import type { SnapshotImporterOptions } from "../importers/snapshot-importer.js";
import { SnapshotImporter } from "../importers/snapshot-importer.js";
import { decodeSnapshot } from "../snapshot/format.js";
import type { ImportPlugin } from "./plugin.js";

/** A snapshot file's path, or its bytes with a name for errors. */
export type SnapshotSource = string | { readonly data: Uint8Array; readonly filename: string };

export function snapshot(source: SnapshotSource, options: SnapshotImporterOptions = {}): ImportPlugin {
  const filename = typeof source === "string" ? source : source.filename;
  return {
    name: `snapshot(${filename})`,
    importers(importers, { env }) {
      let data: Uint8Array;
      if (typeof source === "string") {
        try {
          data = env.fs.readFile(source);
        } catch (error) {
          if (!(error instanceof FileSystemError)) throw error;
          throw new SnapshotError(source, `cannot be read (${error.code})`, { cause: error });
        }
      } else data = source.data;
      importers.add("snapshot", new SnapshotImporter(decodeSnapshot(data, filename), env, options), "first");
    },
  };
}
