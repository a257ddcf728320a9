/** The worked example of docs/overlays.md runs as the docs say, in CPython and in importkit. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;
const cli = join(repo, "bin/importkit.js");
const python = process.env.PYTHON || "python3";
const pythonMissing = spawnSync(python, ["-I", "-S", "-c", "pass"]).status !== 0;
const out = mkdtempSync(join(tmpdir(), "importkit-annotations-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(pythonMissing)("the annotations example", () => {
  it("builds with CPython, reads annotations on demand in CPython, and loads in importkit", () => {
    const pyc = join(out, "geometry.pyc");
    const build = spawnSync(
      process.execPath,
      [
        cli,
        "overlay",
        "build",
        join(repo, "python/examples/annotations/geometry.py"),
        "-o",
        pyc,
        "--python",
        python,
      ],
      { encoding: "utf8" },
    );
    expect(build.status, build.stderr).toBe(0);
    const read = spawnSync(
      python,
      ["-B", join(repo, "python/examples/annotations/annotations.py"), out, "geometry", "area"],
      {
        encoding: "utf8",
        env: { ...process.env, PYTHONPATH: join(repo, "python") },
      },
    );
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout).toBe(
      "loaded before: []\narea: {'radius': 'float', 'return': 'float'}\nloaded after: ['source code annotations']\n",
    );
    const load = spawnSync(
      process.execPath,
      [cli, "overlay", "load", "--json", pyc, "'source code annotations'"],
      {
        encoding: "utf8",
      },
    );
    expect(load.status, load.stderr).toBe(0);
    expect(JSON.parse(load.stdout)).toEqual({
      name: "'source code annotations'",
      result: 1,
      added: ["__source_annotations__", "__overlays__"],
      changed: [],
      reads: 1,
    });
  });
});
