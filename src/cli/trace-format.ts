/**
 * Turns import events into a readable account, like `python -v` but structured: each import nested
 * under the one that caused it, the importers and path entries asked, location-cache hits and
 * refreshes, file hooks that matched, files read, loads and their outcome, with timings.
 */
import type { ImportEvent } from "../core/events.js";

export interface TraceFormatOptions {
  /** Rewrite paths for display (e.g. make a scenario world's paths relative to its root). */
  readonly rewrite?: (text: string) => string;
  /** Show location-cache hits and path-importer-cache hits (noisy for large runs). */
  readonly verbose?: boolean;
}

export class TraceFormatter {
  private depth = 0;
  private readonly startedAt: bigint[] = [];
  private origin: bigint | null = null;
  readonly lines: string[] = [];

  constructor(private readonly options: TraceFormatOptions = {}) {}

  /** Start a new section (a scenario step), resetting nesting. */
  section(title: string): void {
    this.depth = 0;
    this.startedAt.length = 0;
    this.lines.push(title);
  }

  /** Record one event. */
  add(event: ImportEvent, timeNs: bigint): void {
    this.origin ??= timeNs;
    const r = this.options.rewrite ?? ((t: string) => t);
    const verbose = this.options.verbose ?? false;
    switch (event.type) {
      case "import":
        this.line(`import ${event.name}`, timeNs);
        this.depth++;
        this.startedAt.push(timeNs);
        return;
      case "import-done": {
        this.depth = Math.max(0, this.depth - 1);
        const start = this.startedAt.pop();
        const took = start === undefined ? "" : ` in ${ms(timeNs - start)}`;
        this.line(
          event.ok
            ? `✓ ${event.name} imported${took}`
            : `✗ ${event.name} failed${took}: ${r(event.error ?? "")}`,
          timeNs,
        );
        return;
      }
      case "cached-module":
        if (verbose) this.line(`${event.name}: already in sys.modules`, timeNs);
        return;
      case "find":
        this.line(
          `ask ${event.importer}.find_spec(${quote(event.name)}${event.path ? `, path=[${event.path.map((p) => quote(r(p))).join(", ")}]` : ""})`,
          timeNs,
        );
        return;
      case "found":
        this.line(
          event.origin === null && event.loader === null
            ? `→ found by ${event.importer}: a namespace package`
            : `→ found by ${event.importer}: ${event.origin === null ? "(no origin)" : r(event.origin)} [${event.loader ?? "no loader"}]`,
          timeNs,
        );
        return;
      case "path-entry":
        if (event.cache === "new") {
          this.line(
            `  path entry ${quote(r(event.entry))}: ${event.finder ?? "None (no path hook accepts it)"}, cached`,
            timeNs,
          );
        } else if (verbose) {
          this.line(`  path entry ${quote(r(event.entry))}: cached ${event.finder ?? "None"}`, timeNs);
        }
        return;
      case "path-hook":
        if (verbose || event.accepted)
          this.line(
            `  path hook ${event.hook} ${event.accepted ? "accepts" : "declines"} ${quote(r(event.entry))}`,
            timeNs,
          );
        return;
      case "location-cache":
        if (event.action === "refresh")
          this.line(
            `  location cache ${r(event.dir)}: listed (${event.entries ?? 0} ${event.entries === 1 ? "entry" : "entries"})`,
            timeNs,
          );
        else if (verbose) this.line(`  location cache ${r(event.dir)}: ${event.action}`, timeNs);
        return;
      case "entry-find":
        if (event.result === "namespace")
          this.line(`  ${r(event.entry)}: namespace portion for ${event.name}`, timeNs);
        else if (verbose || event.result === "none")
          this.line(
            `  ${r(event.entry)}: ${event.result === "none" ? "nothing" : "module"} for ${event.name}`,
            timeNs,
          );
        return;
      case "file-hook":
        this.line(`  file hook ${event.hook}: ${r(event.path)}`, timeNs);
        return;
      case "read":
        this.line(`read ${r(event.path)} (${event.bytes} bytes)`, timeNs);
        return;
      case "load":
        this.line(
          `${event.reload ? "reload" : "load"} ${event.name} with ${event.loader ?? "no loader (namespace package)"}`,
          timeNs,
        );
        return;
      case "load-done":
        if (!event.ok)
          this.line(
            `load of ${event.name} failed: ${r(event.error ?? "")} — removed from sys.modules`,
            timeNs,
          );
        return;
      case "not-modelled":
        this.line(
          `note: ${event.what} of ${event.name} is not modelled by importkit (spec and dunders only)`,
          timeNs,
        );
        return;
      case "snapshot":
        this.line(
          event.action === "served"
            ? `${event.name}: served from the snapshot ${r(event.snapshot)}`
            : `${event.name}: not served from the snapshot ${r(event.snapshot)}: ${r(event.reason ?? "")}${event.action === "stale" ? " — falling back to the next importer" : ""}`,
          timeNs,
        );
        return;
      case "lock-wait":
        this.line(`task ${event.task} waits for the lock of ${event.name}`, timeNs);
        return;
      case "deadlock":
        this.line(
          `task ${event.task}: waiting for ${event.name} would deadlock; using the partial module`,
          timeNs,
        );
        return;
      case "invalidate-caches":
        this.line(
          "invalidate_caches(): finders forget their listings, None entries leave the path-importer cache",
          timeNs,
        );
        return;
      case "note":
        this.line(r(event.message), timeNs);
        return;
    }
  }

  private line(text: string, timeNs: bigint): void {
    const stamp = `+${ms(timeNs - (this.origin ?? timeNs))}`.padStart(11);
    this.lines.push(`${stamp}  ${"  ".repeat(this.depth)}${text}`);
  }
}

function ms(ns: bigint): string {
  return `${(Number(ns) / 1e6).toFixed(3)}ms`;
}

function quote(text: string): string {
  return `'${text}'`;
}
