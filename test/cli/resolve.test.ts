import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cli = new URL("../../bin/importkit.js", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "importkit-resolve-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

describe("importkit resolve (built CLI)", () => {
  it("prints one JSON line per name, in order, with the parent path taken from the parent's spec", () => {
    tree({
      "lib/pkg/__init__.py": "raise RuntimeError('never run')\n",
      "lib/pkg/sub.py": "",
      "lib/ns/x.py": "",
    });
    const names = join(root, "names.txt");
    writeFileSync(names, "ns.x\nnothing\n");
    const run = spawnSync(
      process.execPath,
      [cli, "resolve", "pkg.sub", "--names-file", names, "--path", join(root, "lib"), "--json"],
      {
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.name)).toEqual(["pkg.sub", "ns.x", "nothing"]);
    expect(lines[0]).toEqual({
      name: "pkg.sub",
      origin: join(root, "lib/pkg/sub.py"),
      loader: "SourceFileLoader",
      submodule_search_locations: null,
      cached: join(root, "lib/pkg/__pycache__/sub.cpython-311.pyc"),
    });
    expect(lines[1]!.origin).toBe(join(root, "lib/ns/x.py"));
    expect(lines[2]).toEqual({
      name: "nothing",
      origin: null,
      loader: null,
      submodule_search_locations: null,
      cached: null,
    });
  });

  it("resolves inside a zip archive as zipimport does, and reports what a find raises", async () => {
    const { writeZipArchive } = await import("../../src/scenario/zip-archive.js");
    const archive = await writeZipArchive(
      [
        { name: "zpkg/__init__.py", data: new TextEncoder().encode("X = 1\n"), mtime: 1700000000 },
        { name: "zpkg/mod.py", data: new TextEncoder().encode("Y = 2\n"), mtime: 1700000000 },
        { name: "broken.py", data: new TextEncoder().encode("x = (\n"), mtime: 1700000000 },
      ],
      true,
    );
    writeFileSync(join(root, "bundle.zip"), archive);
    const zip = join(root, "bundle.zip");
    const run = spawnSync(process.execPath, [cli, "resolve", "zpkg.mod", "broken", "--path", zip, "--json"], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const [mod, broken] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(mod).toEqual({
      name: "zpkg.mod",
      origin: `${zip}/zpkg/mod.py`,
      loader: "zipimporter",
      submodule_search_locations: null,
      cached: `${zip}/zpkg/__pycache__/mod.cpython-311.pyc`,
    });
    // CPython: zipimporter.find_spec compiles the member, so the find raises SyntaxError.
    expect(broken).toMatchObject({ name: "broken", origin: null, error: { type: "SyntaxError" } });
  });
});
