import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, parseScenario, ScenarioError } from "../../src/scenario/parse.js";

const minimal = { name: "s", path: ["lib"], steps: [{ run: "import a" }] };

function problem(json: unknown): string {
  try {
    parseScenario(json, "f.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error("no error");
}

describe("parseScenario", () => {
  it("accepts every form of FORMAT.md, defaulting files to {}", () => {
    const scenario = parseScenario(
      {
        ...minimal,
        description: "d",
        settings: { dont_write_bytecode: false },
        files: {
          "a.py": "",
          "b.py": { text: "", mtime: 1 },
          "c.pyc": { base64: "AAE=", compiled_from: "X = 1\n" },
          "d.zip": {
            zip: { "x.py": "", "sub/": { dir: true } },
            compression: "deflated",
            dir_entries: false,
          },
          e: { dir: true, mtime: 2 },
        },
        steps: [
          { run: "x" },
          { write: { "n.py": "" } },
          { remove: ["a.py"] },
          { invalidate_caches: true },
          { reload: "m" },
          { forget: "m" },
          { path: ["", "lib"] },
        ],
      },
      "f.json",
    );
    expect(scenario.steps).toHaveLength(7);
    expect(scenario.settings).toEqual({ dont_write_bytecode: false });
    expect(parseScenario(minimal, "f.json").files).toEqual({});
  });

  it("names the file, the place and the problem", () => {
    expect(problem([])).toBe("f.json: expected an object, got a list");
    expect(problem({ path: [], steps: [] })).toBe('f.json: missing "name"');
    expect(problem({ ...minimal, steps: [{ run: "x", forget: "y" }] })).toMatch(
      /^f\.json: steps\[0\]: a step needs exactly one of run, write/,
    );
    expect(problem({ ...minimal, steps: [{ run: 1 }] })).toBe(
      "f.json: steps[0].run: expected a string, got number 1",
    );
    expect(problem({ ...minimal, files: { "../x.py": "" } })).toBe(
      'f.json: files["../x.py"]: bad relative path "../x.py"',
    );
    expect(problem({ ...minimal, files: { "x.pyc": { base64: "!!" } } })).toBe(
      'f.json: files["x.pyc"].base64: not valid base64',
    );
    expect(problem({ ...minimal, files: { x: { text: "", base64: "" } } })).toMatch(
      /needs exactly one of text, base64, zip, dir/,
    );
    expect(problem({ ...minimal, files: { "z.zip": { zip: {}, compression: "bzip2" } } })).toMatch(
      /unknown compression "bzip2"/,
    );
    expect(problem({ ...minimal, steps: [{ remove: ["/abs"] }] })).toBe(
      'f.json: steps[0].remove[0]: bad relative path "/abs"',
    );
    expect(problem({ ...minimal, settings: { dont_write_bytecode: "no" } })).toMatch(
      /settings\.dont_write_bytecode: expected a boolean/,
    );
    expect(problem({ ...minimal, colour: 1 })).toMatch(/unknown key "colour"/);
  });
});

describe("loadScenarioFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "importkit-parse-"));

  it("reads a scenario file", async () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify(minimal));
    expect((await loadScenarioFile(file)).name).toBe("s");
  });

  it("refuses a missing file or one that is not JSON, naming it", async () => {
    await expect(loadScenarioFile(join(dir, "missing.json"))).rejects.toThrow(/missing\.json: cannot read/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{");
    await expect(loadScenarioFile(bad)).rejects.toThrow(/bad\.json: not JSON/);
  });
});
