/**
 * Inputs the fuzzer found hanging the runner (a mutated byte turned a jump into a jump to itself):
 * they must now be refused promptly as loops, outside the subset. Each file is a whole pyc made by
 * mutating a corpus pyc (see the .txt beside it), imported as a module's `__pycache__` entry.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { magicInfo } from "../../../src/bytecode/index.js";
import { createImportSystem } from "../../../src/composition-root.js";
import { MemFileSystem } from "../../../src/core/fs/mem-fs.js";

const dir = new URL("../../fixtures/fuzz-findings/", import.meta.url);
const findings = readdirSync(dir).filter((f) => f.endsWith(".bin"));

describe("fuzz findings", () => {
  for (const file of findings) {
    it(`${file} is refused as a loop`, async () => {
      const pyc = new Uint8Array(readFileSync(new URL(file, dir)));
      const python = magicInfo(pyc[0]! | (pyc[1]! << 8))!.python;
      const fs = MemFileSystem.fromFiles({ "/lib/mod.pyc": pyc });
      const system = createImportSystem({
        fs,
        profile: python === "3.14" ? "cpython-3.14-pyodide" : `cpython-${python}`,
      });
      system.path.push("/lib");
      await expect(system.importModule("mod")).rejects.toThrow(/is not supported/);
      expect(system.modules.has("mod")).toBe(false);
    });
  }
});
