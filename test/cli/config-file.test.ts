/**
 * `--config FILE`: JSON configurations name built-in plugins (checked strictly); JS/TS modules export
 * plugins. The module forms are run through the built command (bin/importkit.js), whose classes a
 * configuration shares by importing the package by name.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/cli/config-file.js";
import { createContainer } from "../../src/composition-root.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import type { FileHookRegistry } from "../../src/hooks/file-hook-registry.js";
import type { ZipImportOptions } from "../../src/hooks/zip/zip-importer.js";
import { diffResults, formatDifferences } from "../../src/scenario/compare.js";
import { toJsonLine } from "../../src/scenario/json-line.js";
import { loadScenarioFile } from "../../src/scenario/parse.js";
import { runScenario } from "../../src/scenario/runner.js";
import * as T from "../../src/tokens.js";

const repo = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "importkit-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonFile(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === "string" ? data : JSON.stringify(data));
  return file;
}

async function systemWith(file: string) {
  const c = createContainer({ fs: MemFileSystem.fromFiles({}), plugins: await loadConfig(file) });
  return {
    fileHooks: c.resolve<FileHookRegistry>(T.FILE_HOOKS).names,
    zip: c.resolve<ZipImportOptions>(T.ZIP_OPTIONS),
    importers: c.resolve<{ pyType: string }[]>(T.META_PATH).map((i) => i.pyType),
    pathHooks: c.resolve<{ name: string }[]>(T.PATH_HOOKS).map((h) => h.name),
  };
}

describe("--config FILE.json", () => {
  it("names built-in plugins: generators, ignore-lone-pyc, restricted-imports, edit", async () => {
    const file = jsonFile("all.json", {
      plugins: [
        { use: "generators", generators: ["isl"] },
        { use: "ignore-lone-pyc" },
        { use: "edit", importers: { remove: ["frozen"] }, pathHooks: { order: ["directory", "zip"] } },
        { use: "edit", fileHooks: { move: [{ name: "isl", first: true }] } },
      ],
    });
    const got = await systemWith(file);
    expect(got.fileHooks).toEqual(["isl", "extension", "source"]);
    expect(got.zip.pycMembers).toBe("with-source");
    expect(got.importers).toEqual(["BuiltinImporter", "PathFinder"]);
    expect(got.pathHooks).toEqual(["FileFinder.path_hook", "zipimporter"]);
    const restricted = await systemWith(
      jsonFile("r.json", { plugins: [{ use: "restricted-imports", builtins: ["sys"], extensions: [] }] }),
    );
    expect(restricted.zip.pycMembers).toBe("none");
    expect(restricted.fileHooks).toEqual(["extension", "source"]);
  });

  it("runs the bundled ISL scenario with the isl generator (and finds nothing without it)", async () => {
    const scenario = await loadScenarioFile(join(repo, "examples/isl/scenario.json"));
    const withIsl = await runScenario(scenario, {
      plugins: await loadConfig(join(repo, "examples/config/isl.json")),
    });
    expect("steps" in withIsl && withIsl.steps.map((s) => s.ok)).toEqual([true, true, false]);
    // Without the generator the world is plain Python: CPython 3.11's answer (the oracle's, kept beside it).
    const without = await runScenario(scenario);
    const cpython: unknown = JSON.parse(
      readFileSync(join(repo, "examples/isl/expected-without-generator.jsonl"), "utf8"),
    );
    expect(formatDifferences(diffResults(cpython, JSON.parse(toJsonLine(without))))).toBe("");
  });

  it.each([
    ["not JSON", "{", /bad\.json: not valid JSON/],
    ["no plugin list", { plugins: 3 }, /expected \{"plugins": \[ … \]\}/],
    ["a prototype name as plugin", { plugins: [{ use: "toString" }] }, /no plugin 'toString'/],
    [
      "a prototype name as generator",
      { plugins: [{ use: "generators", generators: ["constructor"] }] },
      /no generator 'constructor'/,
    ],
    [
      "a negative move index",
      { plugins: [{ use: "edit", fileHooks: { move: [{ name: "x", at: -1 }] } }] },
      /move must be a list/,
    ],
    [
      "an unknown plugin",
      { plugins: [{ use: "nope" }] },
      /plugins\[0\]: no plugin 'nope' \(known: generators, /,
    ],
    ["an unknown option", { plugins: [{ use: "ignore-lone-pyc", also: 1 }] }, /unknown option "also"/],
    ["an unknown generator", { plugins: [{ use: "generators", generators: ["idl"] }] }, /no generator 'idl'/],
    [
      "a bad list",
      { plugins: [{ use: "restricted-imports", builtins: "sys" }] },
      /"builtins" must be a list/,
    ],
    ["a bad edit", { plugins: [{ use: "edit", importers: { drop: ["x"] } }] }, /unknown key "drop"/],
    [
      "a bad move",
      { plugins: [{ use: "edit", fileHooks: { move: [{ name: "x" }] } }] },
      /move must be a list/,
    ],
  ])("refuses %s, naming the file", async (_what, data, message) => {
    const file = jsonFile("bad.json", data);
    const error: unknown = await loadConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(file)).toBe(true);
  });

  it("an edit naming an unknown item fails when the system is built, naming the plugin", async () => {
    const file = jsonFile("edit.json", { plugins: [{ use: "edit", importers: { remove: ["zip"] } }] });
    await expect(systemWith(file)).rejects.toThrow(
      /plugin 'edit \(plugins\[0\]\)' failed at its importers stage: no importer named 'zip' \(have: builtin, frozen, path\)/,
    );
  });

  it("refuses other file kinds and missing files", async () => {
    await expect(loadConfig(jsonFile("x.yaml", ""))).rejects.toThrow(/a \.json file or a JavaScript/);
    await expect(loadConfig(join(dir, "missing.json"))).rejects.toThrow(/missing\.json: cannot read it/);
  });
});

describe("--config FILE.mjs / FILE.ts through the command", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(repo, "bin/importkit.js"), ...args], { encoding: "utf8", cwd: repo });

  it("a JavaScript module's default export: the no-secrets policy vetoes an import", () => {
    const run = cli(
      "simulate",
      "--config",
      "examples/config/no-secrets.mjs",
      "examples/config/secrets-scenario.json",
    );
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as { steps: { ok: boolean; error: { message: string } | null }[] };
    expect(result.steps.map((s) => [s.ok, s.error?.message ?? null])).toEqual([
      [true, null],
      [false, "import of secret_keys refused by the no-secrets policy"],
    ]);
  });

  it("a TypeScript module exporting a function that returns plugins (loaded through tsx)", () => {
    // Inside the repository, so that "importkit" resolves to this package (self-reference).
    const file = join(repo, "test/fixtures/.config-isl.ts");
    writeFileSync(
      file,
      'import { generators, type ImportPlugin, islGenerator } from "importkit";\n' +
        "export const plugins = (): ImportPlugin[] => [generators([islGenerator])];\n",
    );
    try {
      const resolve = (...extra: string[]) =>
        cli("resolve", "calc__skel", "--path", "examples/isl", "--json", ...extra);
      const run = resolve("--config", file);
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toMatchObject({
        name: "calc__skel",
        origin: join(repo, "examples/isl/calc.isl"),
        loader: "GeneratedModuleLoader",
      });
      expect(JSON.parse(resolve().stdout)).toMatchObject({ name: "calc__skel", origin: null });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("a module that exports no plugins is refused", () => {
    const file = join(dir, "empty.mjs");
    writeFileSync(file, "export const nothing = 1;\n");
    const run = cli("simulate", "--config", file, "examples/isl/scenario.json");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("exports no plugins");
  });
});
