/** Archives the zip fuzzer found problems with (test/fixtures/fuzz-findings/zip-*.zip, each with a .txt). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createImportSystem } from "../../../src/composition-root.js";
import { ModuleNotFoundError, SyntaxError_ } from "../../../src/core/errors.js";
import { MemFileSystem } from "../../../src/core/fs/mem-fs.js";
import type { ZipImporter } from "../../../src/hooks/zip/zip-importer.js";

function finding(name: string): Uint8Array {
  return readFileSync(new URL(`../../fixtures/fuzz-findings/${name}`, import.meta.url));
}

function systemWith(archive: Uint8Array) {
  const system = createImportSystem({ fs: MemFileSystem.fromFiles({ "/w/lib.zip": archive }) });
  system.path.push("/w/lib.zip");
  return system;
}

describe("zip fuzz findings", () => {
  it("an empty last name component never makes the archive's '/__init__.py' a module", async () => {
    const system = systemWith(finding("zip-absolute-init-empty-name.zip"));
    await expect(system.importModule("good")).resolves.toBeDefined();
    const importer = system.sys.pathImporterCache.get("/w/lib.zip") as ZipImporter;
    for (const name of ["", "a.", "good."]) expect(importer.findSpec(name, null)).toBeNull();
    await expect(system.importModule("a.")).rejects.toBeInstanceOf(ModuleNotFoundError);
  });

  it("a source of NUL bytes is refused before parsing, as compile() refuses it", async () => {
    const system = systemWith(finding("zip-nul-source-slow-compile.zip"));
    const error = await system.importModule("mod").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError_);
    expect((error as Error).message).toBe("source code string cannot contain null bytes");
    // (It took lezer over a second to recover through these 128 KiB of junk; compile() refuses NUL first.)
  });
});
