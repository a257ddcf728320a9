/**
 * What the import system reports as it works: each step of an import, each importer, path entry and
 * file hook asked, cache hits and refreshes, files read, loads and errors. `importkit trace` prints them;
 * scenario results take `loaded` from `load` events. Emitting is skipped entirely when nobody listens.
 */

export type ImportEvent =
  | { type: "import"; name: string; task: number }
  | { type: "import-done"; name: string; ok: boolean; error?: string }
  | { type: "cached-module"; name: string }
  | { type: "find"; importer: string; name: string; path: readonly string[] | null }
  | { type: "found"; importer: string; name: string; origin: string | null; loader: string | null }
  | { type: "path-entry"; entry: string; finder: string | null; cache: "hit" | "new" }
  | { type: "path-hook"; hook: string; entry: string; accepted: boolean }
  | {
      type: "entry-find";
      finder: string;
      entry: string;
      name: string;
      result: "module" | "namespace" | "none";
    }
  | { type: "location-cache"; dir: string; action: "hit" | "refresh" | "relist-live"; entries?: number }
  | { type: "file-hook"; hook: string; path: string }
  | { type: "read"; path: string; bytes: number }
  | { type: "load"; name: string; loader: string | null; reload: boolean }
  | { type: "load-done"; name: string; ok: boolean; error?: string }
  | { type: "not-modelled"; name: string; what: string }
  /** A snapshot importer served a module, or passed it to the next importer (`stale`: its files changed). */
  | {
      type: "snapshot";
      name: string;
      snapshot: string;
      action: "served" | "stale" | "elsewhere";
      reason?: string;
    }
  | { type: "lock-wait"; name: string; task: number }
  | { type: "deadlock"; name: string; task: number }
  | { type: "invalidate-caches" }
  | { type: "note"; message: string };

export type ImportEventListener = (event: ImportEvent, timeNs: bigint) => void;

export class ImportEvents {
  private readonly listeners: ImportEventListener[] = [];

  /** True when someone listens: callers check this before building an event. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  on(listener: ImportEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(event: ImportEvent): void {
    if (this.listeners.length === 0) return;
    const now = process.hrtime.bigint();
    for (const listener of this.listeners) listener(event, now);
  }
}
