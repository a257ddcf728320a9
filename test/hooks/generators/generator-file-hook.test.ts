/**
 * The generator file hook with a small test generator (`.stub` files make `NAME` and `NAME__skel`): found in
 * directories and archives, generated once per version of a file, cached in memory and in `__pycache__`,
 * regenerated when the file changes, and failures as ImportError naming the file with the cause attached.
 */
import { describe, expect, it } from "vitest";
import { createImportSystem } from "../../../src/composition-root.js";
import { ImportError, ModuleNotFoundError } from "../../../src/core/errors.js";
import { MemFileSystem, type MemFiles } from "../../../src/core/fs/mem-fs.js";
import type { Module } from "../../../src/core/module.js";
import { decodeGeneratedCache } from "../../../src/hooks/generators/generated-cache-file.js";
import type { Generator, GeneratorInput } from "../../../src/hooks/generators/generator.js";
import { generators } from "../../../src/plugins/generators.js";
import { writeZipArchive } from "../../../src/scenario/zip-archive.js";

/** `.stub` files: each line `KEY=value` becomes `KEY = 'value'`; "FAIL" anywhere makes the generator throw. */
function stubGenerator(version = "1"): Generator & { calls: GeneratorInput[] } {
  const calls: GeneratorInput[] = [];
  return {
    name: "stub",
    version,
    suffixes: [".stub"],
    moduleSuffixes: ["", "__skel"],
    calls,
    generate(input) {
      calls.push(input);
      const text = new TextDecoder().decode(input.bytes);
      if (text.includes("FAIL")) throw new SyntaxError(`${input.path}:1: the stub asked to fail`);
      const lines = text
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => {
          const [k, v] = l.split("=");
          return `${k!.trim()} = ${JSON.stringify(v!.trim())}\n`;
        })
        .join("");
      const header = `STEM = ${JSON.stringify(input.stem)}\nPACKAGE = ${JSON.stringify(input.packageName)}\n`;
      return {
        "": `${header}SIDE = 'client'\n${lines}`,
        __skel: `${header}SIDE = 'skeleton'\n${lines}`,
      };
    },
  };
}

function world(files: MemFiles, generator = stubGenerator(), writeBytecode = false) {
  const mem = MemFileSystem.fromFiles(files);
  const system = createImportSystem({ fs: mem, plugins: [generators([generator])] });
  system.path.push("/w");
  system.sys.dontWriteBytecode = !writeBytecode;
  return { mem, system, generator };
}

const attr = (m: Module, name: string) => String(m.getAttr(name));

describe("generator file hook: directories", () => {
  it("makes NAME and NAME__skel from NAME.stub, generating once", async () => {
    const { system, generator } = world({ "/w/calc.stub": "VALUE=3\n" });
    const calc = await system.importModule("calc");
    const skel = await system.importModule("calc__skel");
    expect([attr(calc, "SIDE"), attr(calc, "VALUE"), attr(skel, "SIDE")]).toEqual([
      "client",
      "3",
      "skeleton",
    ]);
    expect(calc.spec?.origin).toBe("/w/calc.stub");
    expect(skel.spec?.origin).toBe("/w/calc.stub");
    expect(skel.spec?.loader?.pyType).toBe("GeneratedModuleLoader");
    expect(attr(skel, "__file__")).toBe("/w/calc.stub");
    expect(generator.calls.map((c) => [c.path, c.stem, c.packageName])).toEqual([
      ["/w/calc.stub", "calc", ""],
    ]);
  });

  it("passes the package name; a package's __init__.stub makes the package", async () => {
    const { system, generator } = world({ "/w/pkg/__init__.stub": "A=1\n", "/w/pkg/calc.stub": "B=2\n" });
    const pkg = await system.importModule("pkg");
    expect(pkg.spec?.submoduleSearchLocations).toMatchObject({ items: ["/w/pkg"] });
    const skel = await system.importModule("pkg.calc__skel");
    expect([attr(pkg, "A"), attr(skel, "B"), attr(skel, "PACKAGE")]).toEqual(["1", "2", "pkg"]);
    expect(generator.calls.map((c) => [c.stem, c.packageName])).toEqual([
      ["__init__", "pkg"],
      ["calc", "pkg"],
    ]);
    await expect(system.importModule("pkg__skel")).rejects.toThrow(ModuleNotFoundError);
  });

  it("finds nothing for names no file makes", async () => {
    const { system } = world({ "/w/calc.stub": "" });
    for (const name of ["calc__skel__skel", "__skel", "calc__ske", "other__skel"]) {
      await expect(system.importModule(name)).rejects.toThrow(ModuleNotFoundError);
    }
  });

  it("comes after CPython's own hooks: calc.py beats calc.stub, calc__skel still comes from the stub", async () => {
    const { system } = world({ "/w/calc.py": "SIDE = 'py'\n", "/w/calc.stub": "" });
    expect(attr(await system.importModule("calc"), "SIDE")).toBe("py");
    expect(attr(await system.importModule("calc__skel"), "SIDE")).toBe("skeleton");
  });

  it("keeps the output in memory and regenerates when the file changes", async () => {
    const { system, mem, generator } = world({ "/w/calc.stub": "VALUE=1\n" });
    await system.importModule("calc");
    system.modules.delete("calc");
    await system.importModule("calc");
    expect(generator.calls).toHaveLength(1);
    mem.writeFile("/w/calc.stub", new TextEncoder().encode("VALUE=22\n"));
    mem.utimes("/w/calc.stub", 1_900_000_000);
    system.modules.delete("calc");
    system.invalidateCaches();
    expect(attr(await system.importModule("calc"), "VALUE")).toBe("22");
    expect(generator.calls).toHaveLength(2);
  });

  it("writes __pycache__/NAME.stub.<tag>.pyc when bytecode is written, and a new system reads it", async () => {
    const first = world({ "/w/calc.stub": "VALUE=5\n" }, stubGenerator(), true);
    await first.system.importModule("calc__skel");
    const cachePath = "/w/__pycache__/calc.stub.cpython-311.pyc";
    const data = first.mem.readFile(cachePath);
    const stat = first.mem.stat("/w/calc.stub")!;
    const stamp = { mtime: Math.trunc(stat.mtimeMs / 1000), size: stat.size };
    expect(
      Object.keys(
        decodeGeneratedCache(data, { name: "stub", version: "1", packageName: "" }, stamp, cachePath)!,
      ),
    ).toEqual(["", "__skel"]);
    // A second system over the same files: no generator run, the cache serves both modules.
    const again = stubGenerator();
    const system = createImportSystem({ fs: first.mem, plugins: [generators([again])] });
    system.path.push("/w");
    expect(attr(await system.importModule("calc"), "VALUE")).toBe("5");
    expect(again.calls).toHaveLength(0);
    // Another generator version finds the cache stale.
    const v2 = stubGenerator("2");
    const system2 = createImportSystem({ fs: first.mem, plugins: [generators([v2])] });
    system2.path.push("/w");
    await system2.importModule("calc");
    expect(v2.calls).toHaveLength(1);
  });

  it("writes no cache when bytecode writing is off (the scenario default)", async () => {
    const { system, mem } = world({ "/w/calc.stub": "" });
    await system.importModule("calc");
    expect(mem.stat("/w/__pycache__")).toBeUndefined();
  });

  it("turns a generator error into ImportError naming the module and file, with the cause", async () => {
    const { system } = world({ "/w/bad.stub": "FAIL\n" });
    const error: unknown = await system.importModule("bad__skel").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toBe(
      "cannot generate 'bad__skel' from '/w/bad.stub': /w/bad.stub:1: the stub asked to fail",
    );
    expect((error as ImportError).path).toBe("/w/bad.stub");
    expect((error as ImportError).moduleName).toBe("bad__skel");
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    expect(system.modules.has("bad__skel")).toBe(false);
  });

  it("refuses a generator that leaves a module out", async () => {
    const broken: Generator = {
      name: "half",
      version: "1",
      suffixes: [".half"],
      moduleSuffixes: ["", "__skel"],
      generate: () => ({ "": "X = 1\n" }),
    };
    const mem = MemFileSystem.fromFiles({ "/w/h.half": "" });
    const system = createImportSystem({ fs: mem, plugins: [generators([broken])] });
    system.path.push("/w");
    await expect(system.importModule("h")).rejects.toThrow(
      "generator 'half' gave no source for 'h__skel' from '/w/h.half'",
    );
    expect(system.modules.has("h")).toBe(false);
  });

  it("refuses a generator that returns no object", async () => {
    const odd: Generator = {
      name: "odd",
      version: "1",
      suffixes: [".odd"],
      moduleSuffixes: [""],
      generate: () => null as unknown as Record<string, string>,
    };
    const system = createImportSystem({
      fs: MemFileSystem.fromFiles({ "/w/o.odd": "" }),
      plugins: [generators([odd])],
    });
    system.path.push("/w");
    await expect(system.importModule("o")).rejects.toThrow("generator 'odd' returned null for '/w/o.odd'");
    expect(system.modules.has("o")).toBe(false);
  });

  it("requires the file's own module among the module suffixes", () => {
    const g = { ...stubGenerator(), moduleSuffixes: ["__skel"] };
    expect(() => createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [generators([g])] })).toThrow(
      /moduleSuffixes must include ""/,
    );
  });
});

describe("generator file hook: one file, two names", () => {
  it("generates for each package the file is reached from (relative imports differ)", async () => {
    const { system, generator } = world({ "/w/pkg/__init__.py": "", "/w/pkg/calc.stub": "V=1\n" });
    system.path.push("/w/pkg");
    const inPackage = await system.importModule("pkg.calc__skel");
    const topLevel = await system.importModule("calc__skel");
    expect([attr(inPackage, "PACKAGE"), attr(topLevel, "PACKAGE")]).toEqual(["pkg", ""]);
    expect(generator.calls.map((c) => c.packageName)).toEqual(["pkg", ""]);
  });

  it("makes no NAME__skel from a package's __init__ file", async () => {
    const { system } = world({ "/w/pkg/__init__.stub": "" });
    await system.importModule("pkg");
    await expect(system.importModule("pkg.__init____skel")).rejects.toThrow(ModuleNotFoundError);
  });
});

describe("generator file hook: zip archives", () => {
  it("imports NAME and NAME__skel from a .stub member, and from a package inside the archive", async () => {
    const mtime = 1_700_000_000;
    const archive = await writeZipArchive(
      [
        { name: "calc.stub", data: new TextEncoder().encode("VALUE=7\n"), mtime },
        { name: "pkg/__init__.py", data: new TextEncoder().encode(""), mtime },
        { name: "pkg/iface.stub", data: new TextEncoder().encode("W=8\n"), mtime },
      ],
      true,
    );
    const { system, generator } = world({ "/w/lib.zip": archive });
    system.path.length = 0;
    system.path.push("/w/lib.zip");
    const skel = await system.importModule("calc__skel");
    expect([attr(skel, "VALUE"), attr(skel, "SIDE"), skel.spec?.origin]).toEqual([
      "7",
      "skeleton",
      "/w/lib.zip/calc.stub",
    ]);
    const iface = await system.importModule("pkg.iface");
    expect([attr(iface, "W"), attr(iface, "PACKAGE"), iface.spec?.origin]).toEqual([
      "8",
      "pkg",
      "/w/lib.zip/pkg/iface.stub",
    ]);
    await system.importModule("calc");
    expect(generator.calls.map((c) => c.path)).toEqual(["/w/lib.zip/calc.stub", "/w/lib.zip/pkg/iface.stub"]);
  });
});

describe("generator file hook: replaced archives", () => {
  it("tells apart same-size members with the same DOS time by their CRC-32", async () => {
    const mtime = 1_700_000_000;
    const archiveOf = async (value: string) =>
      writeZipArchive(
        [{ name: "calc.stub", data: new TextEncoder().encode(`VALUE=${value}\n`), mtime }],
        false,
      );
    const { system, mem } = world({ "/w/lib.zip": await archiveOf("aaaa") });
    system.path.length = 0;
    system.path.push("/w/lib.zip");
    expect(attr(await system.importModule("calc"), "VALUE")).toBe("aaaa");
    mem.writeFile("/w/lib.zip", await archiveOf("bbbb"));
    system.modules.delete("calc");
    system.invalidateCaches();
    expect(attr(await system.importModule("calc"), "VALUE")).toBe("bbbb");
  });
});
