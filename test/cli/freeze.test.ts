/**
 * `importkit freeze` on the real disk, through the built command: a snapshot file that `--config` then puts
 * first in the importer list, and `--format ts`, a TypeScript frozen table served by the frozen importer.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createImportSystem } from "../../src/composition-root.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import type { FrozenModuleDefinition } from "../../src/importers/frozen-table.js";
import { frozenModules } from "../../src/plugins/frozen-modules.js";
import { decodeSnapshot } from "../../src/snapshot/format.js";

const repo = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "importkit-freeze-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = join(dir, "app");
mkdirSync(join(app, "pkg"), { recursive: true });
writeFileSync(join(app, "main.py"), "from pkg import sub\nimport sys\nNAME = 'main'\n");
writeFileSync(join(app, "pkg", "__init__.py"), "'''pkg'''\n");
writeFileSync(
  join(app, "pkg", "sub.py"),
  "from . import __name__ as parent\nVALUES = [1, 2.0, 'three', b'4']\n",
);

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(repo, "bin/importkit.js"), ...args], { encoding: "utf8", cwd: dir });

describe("importkit freeze", () => {
  it("writes a snapshot and says what it froze and what it left", () => {
    const run = cli("freeze", "--entry", "main", "--path", "app", "-o", "app.snapshot");
    expect(run.stderr).toBe("");
    const bytes = readFileSync(join(dir, "app.snapshot"));
    expect(run.stdout).toBe(
      `froze 3 modules into app.snapshot (${bytes.length} bytes)\n` +
        "left to the importer list (1):\n  sys: loaded by BuiltinImporter, which runs no code importkit can freeze\n",
    );
    expect([...decodeSnapshot(bytes, "app.snapshot").modules.keys()]).toEqual(["main", "pkg", "pkg.sub"]);
    expect(run.status).toBe(0);
  });

  it("a JSON --config puts the snapshot first: resolve reports the snapshot importer", () => {
    writeFileSync(
      join(dir, "snap.json"),
      JSON.stringify({ plugins: [{ use: "snapshot", file: "app.snapshot" }] }),
    );
    const run = cli(
      "resolve",
      "main",
      "pkg.sub",
      "--path",
      "app",
      "--all-importers",
      "--json",
      "--config",
      "snap.json",
    );
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { origin: string; loader: string });
    expect(lines.map((l) => [l.origin, l.loader])).toEqual([
      [join(dir, "app.snapshot"), "SnapshotImporter"],
      [join(dir, "app.snapshot"), "SnapshotImporter"],
    ]);
  });

  it("--format ts writes frozen modules that run with no file at all", async () => {
    const run = cli("freeze", "--entry", "main", "--path", "app", "-o", "frozen.ts", "--format", "ts");
    expect(run.status).toBe(0);
    const text = readFileSync(join(dir, "frozen.ts"), "utf8");
    expect(text).toContain('import type { FrozenModuleDefinition } from "importkit";');
    const { modules } = (await import(join(dir, "frozen.ts"))) as { modules: FrozenModuleDefinition[] };
    const system = createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [frozenModules(modules)] });
    await system.importModule("main");
    const main = system.modules.get("main")!;
    expect(main.spec?.origin).toBe("frozen");
    expect(main.spec?.loaderKind).toBe("FrozenImporter");
    expect(main.file).toBe(join(app, "main.py"));
    const sub = system.modules.get("pkg.sub")!;
    expect(sub.dict.get("parent")).toBe("pkg");
    expect(system.modules.get("pkg")!.path).toMatchObject({ items: [join(app, "pkg")] });
  });

  it("fails loudly, naming the entry, when it cannot be imported", () => {
    const run = cli("freeze", "--entry", "main", "nope", "--path", "app", "-o", "x.snapshot");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "importkit freeze: importing nope failed: ModuleNotFoundError: No module named 'nope'\n",
    );
  });

  it("refuses an unknown format or identity", () => {
    expect(cli("freeze", "--entry", "main", "--path", "app", "-o", "x", "--format", "zip").stderr).toContain(
      "importkit freeze: --format must be snapshot or ts, not zip\n",
    );
    expect(
      cli("freeze", "--entry", "main", "--path", "app", "-o", "x", "--identity", "md5").stderr,
    ).toContain("importkit freeze: --identity must be stamp or hash, not md5\n");
  });
});
