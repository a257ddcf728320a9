/**
 * `freeze`: import an application's entry modules once, in a system of its own, and snapshot every module
 * that ran (pycds's trace-then-dump, with importkit's code format and per-module invalidation data).
 * Nothing is written into the application's tree: bytecode caches are not written while freezing.
 * `snapshotRecording` is the same recording as a plugin, for a system the caller drives (e.g. a scenario).
 */
import { createImportSystem, type ImportSystemConfig } from "../composition-root.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import type { LeftToPath } from "./build.js";
import { buildSnapshot } from "./build.js";
import { encodeSnapshot } from "./format.js";
import { byName } from "./index-schema.js";
import { SnapshotRecorder } from "./recorder.js";

export interface FreezeOptions extends ImportSystemConfig {
  /** `sys.path` while the entries are imported. */
  readonly path: readonly string[];
  /** Modules imported in order, as `import NAME` would. */
  readonly entries: readonly string[];
  /** How module files are identified: "stamp" (mtime and size, the default) or "hash" (SHA-256 of the bytes). */
  readonly identity?: "stamp" | "hash";
}

export interface FreezeResult {
  /** The snapshot file's bytes. */
  readonly data: Uint8Array;
  readonly frozen: readonly string[];
  /** Imported but not frozen (namespace packages, extension modules, built-in and frozen ones, …), with why. */
  readonly leftToPath: readonly LeftToPath[];
}

/** An entry module failed to import while freezing: the snapshot would not be the application's. */
export class FreezeError extends Error {
  constructor(
    readonly entry: string,
    options: { cause: unknown },
  ) {
    const cause = options.cause;
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`importing ${entry} failed: ${why}`, options);
    this.name = "FreezeError";
  }
}

export async function freeze(options: FreezeOptions): Promise<FreezeResult> {
  const recording = snapshotRecording();
  const system = createImportSystem({ ...options, plugins: [...(options.plugins ?? []), recording.plugin] });
  system.sys.path = [...options.path];
  system.sys.dontWriteBytecode = true;
  for (const entry of options.entries) {
    try {
      await system.importModule(entry);
    } catch (error) {
      throw new FreezeError(entry, { cause: error });
    }
  }
  return recording.finish(options.identity ?? "stamp");
}

export interface SnapshotRecording {
  /** Install in the system to record (it watches every module's code as it runs). */
  readonly plugin: ImportPlugin;
  /** The snapshot of everything recorded so far, files stamped as they are now. */
  finish(identity?: "stamp" | "hash"): FreezeResult;
}

export function snapshotRecording(): SnapshotRecording {
  let env: LoaderEnvironment | null = null;
  let recorder: SnapshotRecorder | null = null;
  // Every module whose loading began while recording, whatever loaded it.
  const loaded = new Set<string>();
  return {
    plugin: {
      name: "snapshot-recording",
      // The importers stage is the first that sees the loader environment, where code observers live.
      importers(_importers, ctx) {
        env = ctx.env;
        recorder = new SnapshotRecorder(ctx.sys, ctx.env.fs);
        if (ctx.env.codeObservers === undefined)
          throw new Error("this system's loader environment takes no code observers");
        ctx.env.codeObservers.push(recorder.observe);
      },
      started(system) {
        system.events.on((event) => {
          if (event.type === "load") loaded.add(event.name);
        });
      },
    },
    finish(identity = "stamp") {
      if (env === null || recorder === null)
        throw new Error("the snapshot recording plugin was not installed");
      const built = buildSnapshot(recorder.records.values(), {
        fs: env.fs,
        profile: env.profile,
        executor: env.executor,
        identity,
      });
      const leftToPath = [...built.leftToPath];
      for (const name of loaded) {
        if (recorder.records.has(name)) continue;
        const module = env.sys.modules.get(name);
        const loader = module?.spec?.loaderKind ?? null;
        const reason =
          loader === null
            ? "it ran no code (its load failed before, or it is gone)"
            : `loaded by ${loader}, which runs no code importkit can freeze`;
        leftToPath.push({ name, reason });
      }
      leftToPath.sort(byName);
      return { data: encodeSnapshot(built.content), frozen: built.frozen, leftToPath };
    },
  };
}
