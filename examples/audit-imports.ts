/**
 * Audit hooks as policies: one observes every import, path-entry probe and file access; another vetoes the
 * import of `telemetry`, which the app's `try: … except ImportError:` fallback then handles.
 * Run: node --import tsx examples/audit-imports.ts
 */
import { type AuditEvent, createImportSystem, MemFileSystem } from "../src/index.js";
import { auditImports, vetoImports } from "../src/policies/index.js";

const fs = MemFileSystem.fromFiles({
  "/srv/app.py": "import helpers\ntry:\n    import telemetry\nexcept ImportError:\n    telemetry = None\n",
  "/srv/helpers.py": "NAME = 'helpers'\n",
  "/srv/telemetry.py": "ENDPOINT = 'https://example.invalid/'\n",
});

/** One line per event (directory listings, `os.listdir`, are audited too; left out here). */
function line(event: AuditEvent): string | null {
  if (event.event === "import") return `import ${event.name}`;
  if (event.event === "importkit.path_entry") return `  path entry ${event.entry}`;
  if (event.event === "open") return `  open(${JSON.stringify(event.path)}, "${event.mode}")`;
  return null;
}

const system = createImportSystem({
  fs,
  plugins: [
    auditImports((event) => {
      const text = line(event);
      if (text !== null) console.log(text);
    }),
    vetoImports((name) => name === "telemetry" || name.startsWith("telemetry.")),
  ],
});
system.path.push("/srv");

const app = await system.importModule("app");
const fallback = app.getAttr("telemetry") === null;
console.log(
  `app.telemetry is None: ${fallback}; telemetry in sys.modules: ${system.modules.has("telemetry")}`,
);
try {
  await system.importModule("telemetry");
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
