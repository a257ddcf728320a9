/**
 * Audit hooks, as CPython's `sys.addaudithook` / `sys.audit`: each hook sees every audited action before it
 * happens and may veto it by throwing — the exception propagates from the action, exactly as a Python
 * audit hook's does. Nothing is built or called while no hook is installed.
 *
 * Events (CPython's names where CPython audits the same action; `importkit.*` for the others):
 * - `import` {name}: an import of a module not yet in `sys.modules`, under its lock, before anything is found.
 *   Stricter than CPython: raised for every import through the system, `importModule` included
 *   (CPython's `importlib.import_module` raises none), and not for a name blocked by None in `sys.modules`;
 * - `importkit.path_entry` {entry}: the path importer consults a path entry (its cached finder or the hooks);
 * - `open` {path, mode}: a file is read ("r") or written ("w") through the file system;
 * - `os.listdir` {path}: a directory is listed.
 */

export type AuditEvent =
  | { readonly event: "import"; readonly name: string }
  | { readonly event: "importkit.path_entry"; readonly entry: string }
  | { readonly event: "open"; readonly path: string; readonly mode: "r" | "w" }
  | { readonly event: "os.listdir"; readonly path: string };

/** Sees an event before the action; throw to veto it. */
export type AuditHook = (event: AuditEvent) => void;

export class AuditHooks {
  private readonly hooks: AuditHook[] = [];

  /** True when a hook is installed: callers check this before building an event. */
  get active(): boolean {
    return this.hooks.length > 0;
  }

  /** `sys.addaudithook`. Returns a function that removes the hook (CPython's cannot be removed; tests need it). */
  add(hook: AuditHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** `sys.audit`: every hook in order; the first that throws vetoes the action. */
  audit(event: AuditEvent): void {
    // A copy: a hook that removes itself must not make the next one miss this event.
    for (const hook of [...this.hooks]) hook(event);
  }
}
