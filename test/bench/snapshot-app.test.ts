/**
 * The snapshot workload's generated application: deterministic, sized like CPython 3.11's stdlib, holding
 * every construct it promises, and imported alike by CPython, by importkit's path importer and from a
 * snapshot of it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateApp, STDLIB_PY_SIZE_QUANTILES, sizeQuantiles, writeApp } from "../../bench/snapshot-app.js";
import { createImportSystem } from "../../src/composition-root.js";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import { snapshot } from "../../src/plugins/snapshot.js";
import { freeze } from "../../src/snapshot/freeze.js";

const python = process.env.PYTHON || "python3";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the snapshot workload's application", () => {
  it("is the same for the same seed, and another for another seed", () => {
    const a = generateApp({ modules: 40, seed: 7 });
    const b = generateApp({ modules: 40, seed: 7 });
    const c = generateApp({ modules: 40, seed: 8 });
    expect([...a.files]).toEqual([...b.files]);
    expect([...a.files]).not.toEqual([...c.files]);
    expect(a.modules).toHaveLength(40);
  });

  it("has file sizes like the stdlib's and every construct it promises", () => {
    const app = generateApp();
    expect(app.modules).toHaveLength(300);
    const stdlibMedian = STDLIB_PY_SIZE_QUANTILES.find(([q]) => q === 0.5)![1];
    const [[, median]] = sizeQuantiles(app, [0.5]) as [[number, number]];
    expect(Math.abs(median - stdlibMedian) / stdlibMedian).toBeLessThan(0.1);
    const exact = app.modules.filter((m) => m.bytes === m.targetBytes).length;
    expect(exact / app.modules.length).toBeGreaterThan(0.9);
    for (const [kind, count] of Object.entries(app.counts)) expect(count, kind).toBeGreaterThan(0);
    expect(app.packages).toBeGreaterThan(10);
  });

  it("imports the same modules in CPython, through importkit's path importer and from a snapshot", async () => {
    const app = generateApp({ modules: 60, seed: 11 });
    const dir = mkdtempSync(join(tmpdir(), "snapshot-app-"));
    dirs.push(dir);
    writeApp(app, dir);
    const script = [
      "import json, sys",
      "sys.path.insert(0, sys.argv[1]); before = set(sys.modules)",
      "import app",
      "new = {n: sorted(k for k in vars(m) if not k.startswith('__')) for n, m in sys.modules.items() if n not in before}",
      "print(json.dumps(new))",
    ].join("\n");
    const cpython: Record<string, string[]> = JSON.parse(
      execFileSync(python, ["-I", "-S", "-B", "-c", script, dir], { encoding: "utf8" }),
    );
    expect(Object.keys(cpython).sort()).toEqual(app.modules.map((m) => m.name).sort());

    const fs = new NodeFileSystem();
    const { data } = await freeze({ fs, path: [dir], entries: [app.entry] });
    for (const plugins of [[], [snapshot({ data, filename: join(dir, "app.snapshot") })]]) {
      const system = createImportSystem({ fs, plugins });
      system.sys.path = [dir];
      const before = new Set(system.sys.modules.keys());
      await system.importModule(app.entry);
      const names: Record<string, string[]> = {};
      for (const [name, module] of system.sys.modules) {
        if (before.has(name) || module === null || name === "sys") continue;
        names[name] = [...module.dict.keys()].filter((k) => !k.startsWith("__")).sort();
        if (plugins.length > 0) expect(module.spec?.loaderKind, name).toBe("SnapshotImporter");
      }
      expect(names).toEqual(cpython);
    }
  });
});
