/**
 * A scenario file as the shared format describes it (shared/scenarios/FORMAT.md, version 1). Key names are
 * the format's own (`dont_write_bytecode`, `dir_entries`), so these types read like the contract.
 */

/** Every file without an explicit mtime, and every directory without one, gets this (seconds). */
export const DEFAULT_MTIME = 1700000000;

export interface TextContent {
  readonly text: string;
  readonly mtime?: number;
}

export interface Base64Content {
  readonly base64: string;
  /** Informative only: the source a `.pyc` was compiled from. The bytes are the truth. */
  readonly compiled_from?: string;
  readonly mtime?: number;
}

export type ZipCompression = "stored" | "deflated";

export interface ZipContent {
  /** Entry name → content; implied directories get their own `dir/` entries unless `dir_entries` is false. */
  readonly zip: Readonly<Record<string, FileContent>>;
  readonly compression?: ZipCompression;
  readonly dir_entries?: boolean;
  readonly mtime?: number;
}

export interface DirContent {
  readonly dir: true;
  readonly mtime?: number;
}

/** A string is UTF-8 text. */
export type FileContent = string | TextContent | Base64Content | ZipContent | DirContent;

/** Relative POSIX path → content. */
export type FileMap = Readonly<Record<string, FileContent>>;

export type ScenarioStep =
  | { readonly run: string }
  | { readonly write: FileMap }
  | { readonly remove: readonly string[] }
  | { readonly invalidate_caches: true }
  | { readonly reload: string }
  | { readonly forget: string }
  | { readonly path: readonly string[] };

export const STEP_KINDS = [
  "run",
  "write",
  "remove",
  "invalidate_caches",
  "reload",
  "forget",
  "path",
] as const;

export type StepKind = (typeof STEP_KINDS)[number];

export interface ScenarioSettings {
  readonly dont_write_bytecode?: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly files: FileMap;
  /** The initial `sys.path`, relative to the root; `""` is the root itself and stays `""`. */
  readonly path: readonly string[];
  readonly settings?: ScenarioSettings;
  readonly steps: readonly ScenarioStep[];
}

export function isDirContent(content: FileContent): content is DirContent {
  return typeof content === "object" && "dir" in content;
}
