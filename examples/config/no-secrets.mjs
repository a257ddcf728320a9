/**
 * A policy as a JavaScript configuration: every import of a module named `secret…` (and its submodules)
 * is vetoed through an audit hook, as a `sys.addaudithook` hook would.
 *
 *   npx importkit simulate --config examples/config/no-secrets.mjs examples/config/secrets-scenario.json
 *
 * Import importkit by its package name, so the configuration shares the command's classes.
 */
import { ImportError } from "importkit";

export default {
  name: "no-secrets",
  started(system) {
    system.sys.auditHooks.add((event) => {
      if (event.event === "import" && event.name.split(".")[0].startsWith("secret")) {
        throw new ImportError(`import of ${event.name} refused by the no-secrets policy`, {
          name: event.name,
        });
      }
    });
  },
};
