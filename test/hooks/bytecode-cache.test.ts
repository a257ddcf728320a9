/**
 * The bytecode cache as CPython uses it: importkit writes its own format at CPython's path, trusts a cache
 * whose header matches the source (running the cached code even if the source changed with the same mtime
 * and size), and reads the pycs real CPython writes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createImportSystem } from "../../src/composition-root.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { NodeFileSystem } from "../../src/core/fs/node-fs.js";
import { IMPORTKIT_MAGIC } from "../../src/hooks/importkit-pyc.js";

const python = process.env.PYTHON || "python3";
const pythonIs311 =
  spawnSync(python, ["-I", "-S", "-c", "import sys; print(sys.version_info[:2] == (3, 11))"], {
    encoding: "utf8",
  }).stdout.trim() === "True";

function memWorld(source: string) {
  const fs = MemFileSystem.fromFiles({ "/lib/mod.py": source });
  fs.utimes("/lib/mod.py", 1_700_000_000);
  const system = createImportSystem({ fs });
  system.path.push("/lib");
  system.sys.dontWriteBytecode = false;
  return { fs, system };
}

describe("bytecode cache", () => {
  it("writes importkit's own format at CPython's cache path, and reports CPython's name", async () => {
    const { fs, system } = memWorld('X = "one"\n');
    const mod = await system.importModule("mod");
    expect(mod.dict.get("__cached__")).toBe("/lib/__pycache__/mod.cpython-311.pyc");
    const written = fs.readFile("/lib/__pycache__/mod.cpython-311.pyc");
    expect([...written.subarray(0, 4)]).toEqual([...IMPORTKIT_MAGIC]);
  });

  it("trusts a cache whose mtime and size match, running the cached code, as CPython does", async () => {
    const { fs, system } = memWorld('X = "one"\n');
    await system.importModule("mod");
    system.modules.delete("mod");
    fs.writeFile("/lib/mod.py", new TextEncoder().encode('X = "two"\n'));
    fs.utimes("/lib/mod.py", 1_700_000_000);
    expect((await system.importModule("mod")).getAttr("X")).toBe("one");
    system.modules.delete("mod");
    fs.utimes("/lib/mod.py", 1_700_000_010);
    expect((await system.importModule("mod")).getAttr("X")).toBe("two");
  });

  it("writes nothing while dont_write_bytecode is on", async () => {
    const { fs, system } = memWorld("X = 1\n");
    system.sys.dontWriteBytecode = true;
    await system.importModule("mod");
    expect(fs.stat("/lib/__pycache__")).toBeUndefined();
  });
});

describe.skipIf(!pythonIs311)("bytecode cache, with real CPython 3.11", () => {
  const root = mkdtempSync(join(tmpdir(), "importkit-pyc-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const cachePath = join(root, "__pycache__", "mod.cpython-311.pyc");

  function cpythonImports(): string {
    const run = spawnSync(
      python,
      ["-I", "-S", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(root)}); import mod; print(mod.X)`],
      {
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    return run.stdout.trim();
  }

  async function importkitImports(): Promise<unknown> {
    const system = createImportSystem({ fs: new NodeFileSystem() });
    system.path.push(root);
    system.sys.dontWriteBytecode = false;
    return (await system.importModule("mod")).getAttr("X");
  }

  it("CPython never runs importkit's cache; importkit runs CPython's", async () => {
    writeFileSync(join(root, "mod.py"), 'X = "aaa"\n');
    utimesSync(join(root, "mod.py"), 1_700_000_000, 1_700_000_000);
    expect(await importkitImports()).toBe("aaa");
    expect([...readFileSync(cachePath).subarray(0, 4)]).toEqual([...IMPORTKIT_MAGIC]);
    // Same size and mtime, other content: CPython rejects importkit's magic, recompiles and rewrites.
    writeFileSync(join(root, "mod.py"), 'X = "bbb"\n');
    utimesSync(join(root, "mod.py"), 1_700_000_000, 1_700_000_000);
    expect(cpythonImports()).toBe("bbb");
    expect(readFileSync(cachePath).subarray(0, 4).toString("hex")).toBe("a70d0d0a");
    // Again the same size and mtime: importkit trusts CPython's pyc and runs its code object.
    writeFileSync(join(root, "mod.py"), 'X = "ccc"\n');
    utimesSync(join(root, "mod.py"), 1_700_000_000, 1_700_000_000);
    expect(await importkitImports()).toBe("bbb");
  });
});
