/**
 * Audit policies: plugins that install an audit hook (CPython's `sys.addaudithook`, see core/audit.ts) on
 * the system being made. A hook sees every `import` of a module not yet in `sys.modules`, every path entry
 * the path importer consults (`importkit.path_entry`), every file read or written (`open`) and every
 * directory listed (`os.listdir`), before the action; throwing vetoes the action, and the exception
 * propagates from the import exactly as a Python audit hook's does.
 */
import type { AuditEvent, AuditHook, AuditHooks } from "../core/audit.js";
import { ImportError } from "../core/errors.js";
import { pyRepr } from "../core/values.js";
import type { ImportPlugin } from "../plugins/plugin.js";

/**
 * Install `hook` as the system is assembled (its first stage, through the plugin context), so it sees
 * everything, even what the `started` stage of a plugin listed before it imports. Each system made with the
 * plugin gets the hook once.
 */
export function auditImports(hook: AuditHook, name = "auditImports"): ImportPlugin {
  const installed = new WeakSet<AuditHooks>();
  const install = (audit: AuditHooks) => {
    if (installed.has(audit)) return;
    installed.add(audit);
    audit.add(hook);
  };
  return {
    name,
    fileSystem(fs, { audit }) {
      install(audit);
      return fs;
    },
    // For a container whose file system was registered without the plugin stages.
    started(system) {
      install(system.sys.auditHooks);
    },
  };
}

/**
 * Veto the import of every module `refuse(name)` is true for: the import raises ImportError (so a module's
 * `try: import x / except ImportError:` fallback still works), nothing is found, read or registered.
 */
export function vetoImports(
  refuse: (name: string) => boolean,
  message: (name: string) => string = (name) => `import of ${pyRepr(name)} vetoed by an audit hook`,
): ImportPlugin {
  return auditImports((event: AuditEvent) => {
    if (event.event === "import" && refuse(event.name))
      throw new ImportError(message(event.name), { name: event.name });
  }, "vetoImports");
}
