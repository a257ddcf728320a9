/**
 * From recorded modules to snapshot content: each module's code serialised (the executor's code format,
 * or marshal for CPython code objects), its identity and its search entries stamped as they are now.
 * A module that cannot be frozen is left to the path importer, with the reason (never dropped silently).
 */
import type { FileSystem } from "../core/fs/file-system.js";
import type { Executor } from "../core/interfaces.js";
import type { VersionProfile } from "../core/profile.js";
import { encodeModuleCode } from "./code-bytes.js";
import type { SnapshotContent } from "./format.js";
import { byName } from "./index-schema.js";
import type { RecordedModule } from "./recorder.js";
import { entryStampOf, identityFileOf, sourceIdentityOf } from "./stamps.js";

export interface LeftToPath {
  readonly name: string;
  readonly reason: string;
}

export interface BuiltSnapshot {
  readonly content: SnapshotContent;
  /** The names frozen, sorted. */
  readonly frozen: readonly string[];
  /** Modules imported but not frozen, sorted by name: they keep loading through the importer list. */
  readonly leftToPath: readonly LeftToPath[];
}

type ContentModule = SnapshotContent["modules"][number];

const stemOf = (name: string) => name.slice(name.lastIndexOf(".") + 1);

export function buildSnapshot(
  records: Iterable<RecordedModule>,
  options: {
    readonly fs: FileSystem;
    readonly profile: VersionProfile;
    readonly executor: Executor;
    readonly identity: "stamp" | "hash";
  },
): BuiltSnapshot {
  const { fs, profile, executor, identity } = options;
  const codeFormat = executor.codeFormat;
  const modules: ContentModule[] = [];
  const leftToPath: LeftToPath[] = [];
  for (const record of records) {
    const result = freezeOne(record);
    if (typeof result === "string") leftToPath.push({ name: record.name, reason: result });
    else modules.push(result);
  }

  function freezeOne(record: RecordedModule): ContentModule | string {
    const { code, origin, loader } = record;
    if (origin === null || loader === null) return "it has no origin or loader";
    const file = identityFileOf(fs, origin);
    if (file === null) return `its origin ${origin} is not a file, so a change could not be noticed`;
    const source = sourceIdentityOf(fs, file, identity);
    if (source === null) return `${file} is gone`;
    const encoded = encodeModuleCode(code, executor);
    if (typeof encoded === "string") return encoded;
    return {
      name: record.name,
      file: record.file,
      origin,
      loader,
      package: record.package,
      path: record.path,
      search: {
        entries: record.searchEntries,
        stamps: record.searchEntries.map((entry) => entryStampOf(fs, entry, stemOf(record.name))),
      },
      source,
      code: encoded.kind,
      codeBytes: encoded.bytes,
    };
  }

  return {
    content: {
      index: {
        profile: profile.name,
        codeFormat: { name: codeFormat?.name ?? "none", version: codeFormat?.version ?? 0 },
        identity,
      },
      modules,
    },
    frozen: modules.map((m) => m.name).sort(),
    leftToPath: leftToPath.sort(byName),
  };
}
