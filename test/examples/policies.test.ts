/** The policy examples run and print what docs/policies.md says; the doc's code blocks are the examples' code. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);

function runExample(file: string): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", new URL(`examples/${file}`, ROOT).pathname], {
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}

const outputs: Record<string, string> = {
  "ignore-lone-pyc.ts": [
    "plain: legacy -> /app/legacy.pyc SourcelessFileLoader X=legacy",
    "plain: tool -> /app/tool.py SourceFileLoader X=tool",
    "ignoreLonePyc: legacy -> ModuleNotFoundError: No module named 'legacy'",
    "ignoreLonePyc: tool -> /app/tool.py SourceFileLoader X=tool",
  ].join("\n"),
  "restricted-imports.ts": [
    "sys -> built-in BuiltinImporter",
    "  (restrictedImports: built-in module 'posix' is not on the allowlist)",
    "posix -> ModuleNotFoundError: No module named 'posix'",
    "  (restrictedImports: frozen module 'zipimport' is not on the allowlist)",
    "zipimport -> ModuleNotFoundError: No module named 'zipimport'",
    "_speedups -> /app/_speedups.cpython-311-x86_64-linux-gnu.so ExtensionFileLoader",
    "  (restrictedImports: extension module '_accel' (/app/_accel.cpython-311-x86_64-linux-gnu.so) is not on the allowlist)",
    "_accel -> /app/_accel.py SourceFileLoader",
    "legacy -> ModuleNotFoundError: No module named 'legacy'",
    "config -> /app/config.py SourceFileLoader",
    "__pycache__ written: false",
  ].join("\n"),
  "audit-imports.ts": [
    "import app",
    "  path entry /srv",
    '  open("/srv/__pycache__/app.cpython-311.pyc", "r")',
    '  open("/srv/app.py", "r")',
    "import helpers",
    "  path entry /srv",
    '  open("/srv/__pycache__/helpers.cpython-311.pyc", "r")',
    '  open("/srv/helpers.py", "r")',
    "import telemetry",
    "app.telemetry is None: true; telemetry in sys.modules: false",
    "import telemetry",
    "ImportError: import of 'telemetry' vetoed by an audit hook",
  ].join("\n"),
};

describe("policy examples", () => {
  for (const [file, output] of Object.entries(outputs)) {
    it(`${file} prints what it should`, () => {
      expect(runExample(file)).toBe(`${output}\n`);
    });
  }
});

/** The fenced blocks of docs/policies.md preceded by `<!-- KIND: FILE -->`. */
function docBlocks(kind: "example" | "output"): { file: string; code: string }[] {
  const doc = readFileSync(new URL("docs/policies.md", ROOT), "utf8");
  const pattern = new RegExp(`<!-- ${kind}: (\\S+) -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`, "g");
  return [...doc.matchAll(pattern)].map((m) => ({ file: m[1]!, code: m[2]! }));
}

/** The names a block of TypeScript imports (`import { a, type B } from "…"`, possibly over several lines). */
function importedNames(code: string): string[] {
  return [...code.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"[^"]+";$/gm)].flatMap((m) =>
    m[1]!
      .split(",")
      .map((name) => name.trim().replace(/^type\s+/, ""))
      .filter((name) => name !== ""),
  );
}

const withoutImports = (code: string) =>
  code.replace(/^import\s+(?:type\s+)?\{[^}]*\}\s+from\s+"[^"]+";\n/gm, "").replace(/^\n+/, "");

describe("docs/policies.md", () => {
  it("shows each example's code as it is in the example (imports from the package instead)", () => {
    const blocks = docBlocks("example");
    expect(blocks.map((b) => b.file)).toEqual([
      "examples/ignore-lone-pyc.ts",
      "examples/restricted-imports.ts",
      "examples/audit-imports.ts",
      "src/policies/ignore-lone-pyc.ts",
    ]);
    for (const { file, code } of blocks) {
      const source = readFileSync(new URL(file, ROOT), "utf8");
      expect(source, `${file} holds the block`).toContain(withoutImports(code));
      const imported = new Set(importedNames(source));
      for (const name of importedNames(code)) expect(imported, `${file} imports ${name}`).toContain(name);
    }
  });

  it("shows each example's output as the example prints it", () => {
    const blocks = docBlocks("output");
    expect(blocks.map((b) => b.file).sort()).toEqual(
      Object.keys(outputs)
        .map((f) => `examples/${f}`)
        .sort(),
    );
    for (const { file, code } of blocks)
      expect(code, file).toBe(`${outputs[file.slice("examples/".length)]}\n`);
  });
});
