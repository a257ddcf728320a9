/** examples/module-server.ts runs and prints what CPython 3.11 prints for the same path hook (see docs/extending.md). */
import { spawnSync } from "node:child_process";
import { expect, it, vi } from "vitest";

it("module-server.ts imports from mem:// entries through a path hook, with CPython's path-importer cache", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", new URL("../../examples/module-server.ts", import.meta.url).pathname],
    { encoding: "utf8" },
  );
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(
    [
      "path hooks: ModuleServerFinder.path_hook, zipimporter, FileFinder.path_hook",
      "import app",
      "  compile /site/app.py",
      "  compile mem://plugins/greet",
      "  compile mem://plugins/tools/__init__",
      "  compile mem://plugins/tools/fmt",
      "hello from the module server — mem://plugins/greet ModuleServerLoader",
      "STYLE: bold — tools.__path__: mem://plugins/tools",
      "path_importer_cache:",
      "  /site: FileFinder",
      "  mem://nowhere: None",
      "  /site/missing: None",
      "  mem://plugins: ModuleServerFinder",
      "  mem://plugins/tools: ModuleServerFinder",
      "import late",
      "ModuleNotFoundError: No module named 'late'",
      "invalidate_caches, path_importer_cache:",
      "  /site: FileFinder",
      "import late",
      "  compile mem://plugins/late",
      "late.X: 1 — mem://plugins/late",
      "path_importer_cache:",
      "  /site: FileFinder",
      "  mem://nowhere: None",
      "  /site/missing: None",
      "  mem://plugins: ModuleServerFinder",
      "",
    ].join("\n"),
  );
});

it("importing the example runs nothing (its demo runs only as the main module)", async () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const module = await import("../../examples/module-server.js");
    expect(typeof module.moduleServerPlugin).toBe("function");
    expect(log).not.toHaveBeenCalled();
  } finally {
    log.mockRestore();
  }
});
