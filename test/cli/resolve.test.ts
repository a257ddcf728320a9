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
});
