/**
 * A scenario's files in a memfs volume under one root, kept exactly as the oracle keeps the real disk: every
 * file's mtime is its explicit one or the default, and after every change every directory (the root
 * included) is set back to its explicit mtime or the default, so a finder's directory cache behaves the same.
 */
import { Volume } from "memfs";
import { joinPath } from "../core/fs/file-system.js";
import { MemFileSystem } from "../core/fs/mem-fs.js";
import { renderFile } from "./file-content.js";
import type { FileMap } from "./format.js";
import { DEFAULT_MTIME, isDirContent } from "./format.js";
import { ScenarioError } from "./parse.js";

/** Where scenario worlds live: distinctive, so that rewriting it out of results touches nothing else. */
export const DEFAULT_SCENARIO_ROOT = "/importkit/scenario-root";

type WriteOp =
  | { readonly kind: "dir"; readonly rel: string; readonly mtime: number | undefined }
  | {
      readonly kind: "file";
      readonly rel: string;
      readonly data: Uint8Array;
      readonly mtime: number | undefined;
    };

export class ScenarioWorld {
  readonly fs: MemFileSystem;
  /** Relative path → the latest explicit mtime a `{"dir": true, "mtime": N}` gave it. */
  private readonly explicitDirMtimes = new Map<string, number>();

  private constructor(readonly root: string) {
    const volume = new Volume();
    volume.mkdirSync(root, { recursive: true });
    this.fs = new MemFileSystem(volume, root);
  }

  /** A world holding `files` under `root` (which is also the file system's current directory). */
  static async create(files: FileMap, root = DEFAULT_SCENARIO_ROOT): Promise<ScenarioWorld> {
    const world = new ScenarioWorld(root);
    await world.write(files);
    return world;
  }

  /** `ROOT/rel`, or the root itself for "". */
  absolute(rel: string): string {
    return rel ? joinPath(this.root, rel) : this.root;
  }

  /** A `sys.path` entry from the scenario's: `""` stays `""` (the current directory), others become absolute. */
  pathEntry(entry: string): string {
    return entry === "" ? "" : `${this.root}/${entry}`;
  }

  /** Create or overwrite files and directories (parents created), then fix every mtime. */
  async write(files: FileMap): Promise<void> {
    const ops: WriteOp[] = [];
    for (const [rel, content] of Object.entries(files)) {
      if (isDirContent(content)) {
        ops.push({ kind: "dir", rel, mtime: content.mtime });
      } else {
        const rendered = await renderFile(content);
        ops.push({ kind: "file", rel, data: rendered.data, mtime: rendered.mtime });
      }
    }
    const fileTimes: [string, number][] = [];
    for (const op of ops) {
      if (op.kind === "dir") {
        this.makeDirs(op.rel);
        if (op.mtime !== undefined) this.explicitDirMtimes.set(op.rel, op.mtime);
      } else {
        this.makeDirs(parentOf(op.rel));
        this.attempt(`cannot write ${op.rel}`, () => this.fs.writeFile(this.absolute(op.rel), op.data));
        fileTimes.push([op.rel, op.mtime ?? DEFAULT_MTIME]);
      }
    }
    // Times are set after all writes, as the oracle does, so a later write cannot disturb an earlier one.
    for (const [rel, mtime] of fileTimes) this.fs.utimes(this.absolute(rel), mtime);
    this.resetDirMtimes();
  }

  /** Delete files or whole directories, then fix every directory's mtime. A missing path is an invalid scenario. */
  remove(rels: readonly string[]): void {
    for (const rel of rels) {
      this.attempt(`cannot remove ${rel}`, () => this.fs.remove(this.absolute(rel)));
      for (const key of [...this.explicitDirMtimes.keys()]) {
        if (key === rel || key.startsWith(`${rel}/`)) this.explicitDirMtimes.delete(key);
      }
    }
    this.resetDirMtimes();
  }

  /** Every directory gets its explicit mtime, else the default (FORMAT.md). */
  private resetDirMtimes(): void {
    for (const [path, rel] of this.allDirs(this.root, "")) {
      this.fs.utimes(path, this.explicitDirMtimes.get(rel) ?? DEFAULT_MTIME);
    }
  }

  private *allDirs(path: string, rel: string): Generator<[string, string]> {
    yield [path, rel];
    for (const entry of this.fs.readdir(path) ?? []) {
      if (entry.kind === "dir")
        yield* this.allDirs(joinPath(path, entry.name), rel ? `${rel}/${entry.name}` : entry.name);
    }
  }

  private makeDirs(rel: string): void {
    if (rel) this.attempt(`cannot create directory ${rel}`, () => this.fs.mkdir(this.absolute(rel)));
  }

  /** File operations are the harness's own: one that fails makes the scenario invalid. */
  private attempt(what: string, operation: () => void): void {
    try {
      operation();
    } catch (error) {
      throw new ScenarioError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf("/");
  return slash < 0 ? "" : rel.slice(0, slash);
}
