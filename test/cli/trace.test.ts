import { describe, expect, it } from "vitest";
import { trace } from "../../src/cli/trace.js";
import { loadProfile } from "../../src/core/profile.js";

const example = new URL("../../examples/world/scenario.json", import.meta.url).pathname;

describe("importkit trace", () => {
  it("tells each step's imports, importers, path entries, listings, file hooks, reads, loads and errors", async () => {
    const { lines, status } = await trace(example, loadProfile("cpython-3.11"), false);
    const text = lines.join("\n");
    expect(status).toBe(0);
    expect(text).toContain("step 1: run");
    expect(text).toMatch(/import shop\n.*ask BuiltinImporter\.find_spec\('shop'\)/);
    expect(text).toContain("path hook FileFinder.path_hook accepts 'lib'");
    expect(text).toContain("location cache lib: listed (1 entry)");
    expect(text).toContain("file hook source: lib/shop/__init__.py");
    expect(text).toContain("read lib/shop/catalog.py (26 bytes)");
    expect(text).toContain("plugins_b: namespace portion for shopext");
    expect(text).toMatch(/✓ shop imported in \d+\.\d{3}ms/);
    // The location cache hides late.py until lib's mtime changes, then lists lib again.
    expect(text).toMatch(
      /step 4:[\s\S]*lib: nothing for late[\s\S]*step 6:[\s\S]*location cache lib: listed \(2 entries\)/,
    );
    expect(text).toContain("→ raised ModuleNotFoundError: No module named 'shop.missing'");
    expect(text).toMatch(/fs calls: \d+ stat, \d+ listdir, \d+ read/);
  });
});
