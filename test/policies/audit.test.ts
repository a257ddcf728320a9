/** auditImports / vetoImports: every audited action observed in order; a veto propagates and leaves nothing behind. */
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/core/audit.js";
import { ImportError, type ImportPlugin, RuntimeError } from "../../src/index.js";
import { auditImports, vetoImports } from "../../src/policies/index.js";
import { auditLine, systemOver } from "./support.js";

const WORLD = {
  "/site/pkg/__init__.py": "from . import mod\n",
  "/site/pkg/mod.py": "import sys\nX = 1\n",
  "/site/other.py": "",
  "/site/loose.py": "try:\n    import secret\nexcept ImportError:\n    secret = None\n",
  "/site/secret.py": "",
  "/site/lib/plain.py": "",
};

/** The lines a system made with `plugin` before an observer saw, and the observer's list. */
function observed(plugins: readonly ImportPlugin[] = []) {
  const lines: string[] = [];
  const system = systemOver(WORLD, [
    ...plugins,
    auditImports((event) => {
      lines.push(auditLine(event));
    }),
  ]);
  system.path.unshift("/missing");
  return { system, lines };
}

/** Directory listings depend on the location cache's racy window: checked apart from the exact order. */
const withoutListings = (lines: readonly string[]) => lines.filter((line) => !line.startsWith("listdir "));

describe("auditImports", () => {
  it("sees every import, path-entry probe and file open, in order", async () => {
    const { system, lines } = observed();
    await system.importModule("pkg");
    expect(withoutListings(lines)).toEqual([
      "import pkg",
      "path_entry /missing",
      "path_entry /site",
      "open r /site/pkg/__pycache__/__init__.cpython-311.pyc",
      "open r /site/pkg/__init__.py",
      "import pkg.mod",
      "path_entry /site/pkg",
      "open r /site/pkg/__pycache__/mod.cpython-311.pyc",
      "open r /site/pkg/mod.py",
      "import sys",
    ]);
    // Each directory is listed before anything in it is opened.
    const first = (line: string) => lines.indexOf(line);
    expect(first("listdir /site")).toBeGreaterThan(first("path_entry /site"));
    expect(first("listdir /site/pkg")).toBeGreaterThan(first("listdir /site"));
    expect(first("listdir /site/pkg")).toBeLessThan(first("open r /site/pkg/__init__.py"));

    // A module already in sys.modules is not imported again: nothing to audit.
    lines.length = 0;
    await system.importModule("pkg.mod");
    expect(lines).toEqual([]);
  });

  it("sees writes too (a bytecode cache)", async () => {
    const { system, lines } = observed();
    system.sys.dontWriteBytecode = false;
    await system.importModule("other");
    expect(withoutListings(lines)).toEqual([
      "import other",
      "path_entry /missing",
      "path_entry /site",
      "open r /site/__pycache__/other.cpython-311.pyc",
      "open r /site/other.py",
      "open w /site/__pycache__/other.cpython-311.pyc",
    ]);
  });

  it("is installed before any plugin's started stage runs, once per system", async () => {
    const seen: string[] = [];
    const early: ImportPlugin = {
      name: "reads at start",
      started: (system) => void system.fs.readFile("/site/other.py"),
    };
    const observer = auditImports((event) => {
      seen.push(auditLine(event));
    });
    systemOver(WORLD, [early, observer]);
    systemOver(WORLD, [early, observer]);
    expect(seen).toEqual(["open r /site/other.py", "open r /site/other.py"]);
  });
});

describe("vetoes", () => {
  /** A hook that vetoes what `veto` matches while `on` is set. */
  function vetoing(veto: (event: AuditEvent) => boolean) {
    const state = { on: true };
    const plugin = auditImports((event) => {
      if (state.on && veto(event)) throw new RuntimeError(`vetoed: ${auditLine(event)}`);
    });
    return { state, plugin };
  }

  const cases: [string, (event: AuditEvent) => boolean][] = [
    ["the import of a submodule", (e) => e.event === "import" && e.name === "pkg.mod"],
    ["a path-entry probe", (e) => e.event === "importkit.path_entry" && e.entry === "/site/pkg"],
    ["a directory listing", (e) => e.event === "os.listdir" && e.path === "/site/pkg"],
    ["a file open", (e) => e.event === "open" && e.path === "/site/pkg/mod.py"],
  ];

  for (const [what, veto] of cases) {
    it(`of ${what}: the hook's exception, no half-registered module, and the import works once allowed`, async () => {
      const { state, plugin } = vetoing(veto);
      const system = systemOver(WORLD, [plugin]);
      // (a) the hook's own exception comes out of the import (pkg's body imports pkg.mod).
      const error = await system.importModule("pkg").then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as Error).message).toMatch(/^vetoed: /);
      // (b) neither the package whose body failed nor the submodule stays in sys.modules.
      expect([...system.modules.keys()].filter((name) => name.startsWith("pkg"))).toEqual([]);
      // (c) the same import succeeds once the hook stops vetoing.
      state.on = false;
      const pkg = await system.importModule("pkg");
      expect(system.modules.get("pkg")).toBe(pkg);
      expect(system.modules.get("pkg.mod")?.getAttr("X")).toBe(1n);
    });
  }

  it("of a top-level path entry: nothing is cached for it", async () => {
    const { state, plugin } = vetoing((e) => e.event === "importkit.path_entry" && e.entry === "/site");
    const system = systemOver(WORLD, [plugin]);
    await expect(system.importModule("other")).rejects.toThrow("vetoed: path_entry /site");
    expect(system.pathImporterCache.has("/site")).toBe(false);
    expect(system.modules.has("other")).toBe(false);
    state.on = false;
    await system.importModule("other");
    expect(system.pathImporterCache.has("/site")).toBe(true);
  });
});

describe("AuditHooks", () => {
  it("a hook that removes itself does not make the next one miss the event", async () => {
    const system = systemOver({ "/site/a.py": "" });
    const seen: string[] = [];
    const remove = system.sys.auditHooks.add(() => remove());
    system.sys.auditHooks.add((e) => {
      if (e.event === "import") seen.push(e.name);
    });
    await system.importModule("a");
    expect(seen).toEqual(["a"]);
  });
});

describe("vetoImports", () => {
  it("refuses the named imports with ImportError, which a module's fallback catches", async () => {
    const system = systemOver(WORLD, [vetoImports((name) => name === "secret")]);
    const error = await system.importModule("secret").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toBe("import of 'secret' vetoed by an audit hook");
    expect((error as ImportError).moduleName).toBe("secret");
    const loose = await system.importModule("loose");
    expect(loose.getAttr("secret")).toBe(null);
    expect(system.modules.has("secret")).toBe(false);
  });

  it("vetoes a submodule before its parent is imported (as CPython audits `import app.admin`)", async () => {
    const opened: string[] = [];
    const system = systemOver({ "/site/app/__init__.py": "", "/site/app/admin.py": "" }, [
      vetoImports(
        (name) => name.endsWith(".admin"),
        (name) => `${name} is off limits`,
      ),
      auditImports((e) => {
        if (e.event === "open") opened.push(e.path);
      }),
    ]);
    await expect(system.importModule("app.admin")).rejects.toThrow("app.admin is off limits");
    expect([...system.modules.keys()]).toEqual([]);
    expect(opened).toEqual([]);
    // The parent alone is allowed; then its submodule is refused without a file being opened for it.
    await system.importModule("app");
    await expect(system.importModule("app.admin")).rejects.toThrow("app.admin is off limits");
    expect([...system.modules.keys()]).toEqual(["app"]);
    expect(opened.some((path) => path.includes("admin"))).toBe(false);
  });
});
