/**
 * What a user can do to the default system through `plugins` (createImportSystem / createContainer) and
 * through the raw tsyringe tokens: insert, remove, reorder and wrap importers, path hooks and file hooks;
 * replace or wrap the file system (which the audit layer still wraps) and the executor; `started`; the
 * order plugins apply in; PluginError naming the plugin and the stage.
 */
import { describe, expect, it } from "vitest";
import { createContainer, createImportSystem } from "../../src/composition-root.js";
import type { AuditEvent } from "../../src/core/audit.js";
import { ModuleNotFoundError } from "../../src/core/errors.js";
import { AuditingFileSystem } from "../../src/core/fs/auditing-fs.js";
import { CountingFileSystem } from "../../src/core/fs/counting-fs.js";
import type { DirEntry, FileStat, FileSystem } from "../../src/core/fs/file-system.js";
import { MemFileSystem, type MemFiles } from "../../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../../src/core/import-system.js";
import type {
  ArchiveMember,
  CompiledCode,
  Executor,
  FileHook,
  ImportContext,
  Importer,
  Loader,
  PathEntryFinder,
  PathHook,
} from "../../src/core/interfaces.js";
import type { Module } from "../../src/core/module.js";
import { ModuleSpec } from "../../src/core/spec.js";
import type { FileHookRegistry } from "../../src/hooks/file-hook-registry.js";
import { encodeImportkitPyc } from "../../src/hooks/importkit-pyc.js";
import type { ZipImportOptions } from "../../src/hooks/zip/zip-importer.js";
import { editLists } from "../../src/plugins/list-edits.js";
import type { OrderedList, Placement } from "../../src/plugins/ordered-list.js";
import { type ImportPlugin, PluginError } from "../../src/plugins/plugin.js";
import * as T from "../../src/tokens.js";
import { thrown } from "../support/thrown.js";
import { buildZip } from "../zip/support/zip-writer.js";

/** A system over a memfs world with `/w` on the path. */
function world(files: MemFiles, plugins: readonly ImportPlugin[] = []) {
  const mem = MemFileSystem.fromFiles(files);
  const system = createImportSystem({ fs: mem, plugins });
  system.path.push("/w");
  return { mem, system };
}

/** A meta path finder serving `NAME = "table"` modules for the names it holds. */
class TableImporter implements Importer {
  readonly pyType = "TableImporter";
  readonly asked: string[] = [];
  constructor(private readonly names: readonly string[]) {}
  findSpec(name: string): ModuleSpec | null {
    this.asked.push(name);
    if (!this.names.includes(name)) return null;
    const loader: Loader = {
      pyType: "TableLoader",
      execModule: (module) => module.setAttr("FROM", "table"),
    };
    return new ModuleSpec(name, loader, { origin: `table:${name}` });
  }
}

const importersPlugin = (edit: (list: OrderedList<Importer>) => void): ImportPlugin => ({
  name: "edit-importers",
  importers: edit,
});
const pyTypes = (system: ImportSystem) => system.metaPath.map((i) => i.pyType);
const failure = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error");
};

describe("plugins: importers (sys.meta_path)", () => {
  it("the default list is builtin, frozen, path, in CPython's order", () => {
    let names: string[] = [];
    const { system } = world({}, [importersPlugin((list) => (names = list.names))]);
    expect(names).toEqual(["builtin", "frozen", "path"]);
    expect(pyTypes(system)).toEqual(["BuiltinImporter", "FrozenImporter", "PathFinder"]);
  });

  const positions: [string, Placement, string[], string][] = [
    ['"first"', "first", ["TableImporter", "BuiltinImporter", "FrozenImporter", "PathFinder"], "table:sys"],
    [
      "{ at: 1 }",
      { at: 1 },
      ["BuiltinImporter", "TableImporter", "FrozenImporter", "PathFinder"],
      "built-in",
    ],
    [
      "{ before: path }",
      { before: "path" },
      ["BuiltinImporter", "FrozenImporter", "TableImporter", "PathFinder"],
      "built-in",
    ],
    ['"last"', "last", ["BuiltinImporter", "FrozenImporter", "PathFinder", "TableImporter"], "built-in"],
  ];
  it.each(positions)(
    "an importer inserted at %s is asked in that place",
    async (_label, where, order, sysOrigin) => {
      const table = new TableImporter(["sys", "os", "a", "tableonly"]);
      const { system } = world({ "/w/a.py": "X = 1\n" }, [
        importersPlugin((list) => list.add("table", table, where)),
      ]);
      expect(pyTypes(system)).toEqual(order);
      // `sys` is built in: only an importer ahead of BuiltinImporter can shadow it.
      expect((await system.importModule("sys")).spec?.origin).toBe(sysOrigin);
      // `os` is frozen in 3.11; `a` is on the path: each answered by the first importer that knows it.
      const tableAt = order.indexOf("TableImporter");
      expect((await system.importModule("os")).spec?.origin).toBe(tableAt < 2 ? "table:os" : "frozen");
      expect((await system.importModule("a")).spec?.origin).toBe(tableAt < 3 ? "table:a" : "/w/a.py");
      expect((await system.importModule("tableonly")).getAttr("FROM")).toBe("table");
    },
  );

  // What CPython 3.11 does after removing BuiltinImporter from sys.meta_path: `import gc` raises
  // "No module named 'gc'", `import pwd` finds a pwd.py on the path. (`import sys` still works there only
  // because CPython's sys.modules already holds sys at start-up; importkit's starts empty, so sys behaves
  // as any built-in not yet imported.)
  it('without "builtin", a built-in name comes from the path or is not found, as in CPython', async () => {
    const noBuiltin = importersPlugin((list) => list.remove("builtin"));
    const { system } = world(
      { "/w/pwd.py": "WHERE = 'disk'\n", "/w/sys.py": "WHERE = 'disk'\n", "/w/a.py": "import gc\n" },
      [noBuiltin],
    );
    expect(pyTypes(system)).toEqual(["FrozenImporter", "PathFinder"]);
    const pwd = await system.importModule("pwd");
    expect(pwd.getAttr("WHERE")).toBe("disk");
    expect(pwd.spec?.origin).toBe("/w/pwd.py");
    expect((await system.importModule("sys")).spec?.origin).toBe("/w/sys.py");

    const error = await failure(system.importModule("a"));
    expect(error).toBeInstanceOf(ModuleNotFoundError);
    expect(error.message).toBe("No module named 'gc'");
    expect(system.modules.has("a")).toBe(false); // the failed module is removed
    // Frozen and path importers still work.
    expect((await system.importModule("os")).spec?.origin).toBe("frozen");

    // With the default list, the same world imports the built-ins.
    const normal = world({ "/w/pwd.py": "WHERE = 'disk'\n", "/w/a.py": "import gc\n" });
    await normal.system.importModule("a");
    expect(normal.system.modules.get("gc")?.spec?.origin).toBe("built-in");
    expect((await normal.system.importModule("pwd")).spec?.origin).toBe("built-in");
  });

  it('without "frozen", a frozen stdlib name (os) is found on the path', async () => {
    const { system } = world({ "/w/os.py": "WHERE = 'disk'\n" }, [
      importersPlugin((list) => list.remove("frozen")),
    ]);
    const os = await system.importModule("os");
    expect(os.spec?.origin).toBe("/w/os.py");
    expect(await failure(system.importModule("__hello__"))).toBeInstanceOf(ModuleNotFoundError);
  });

  it('without "path", nothing on sys.path is importable; built-ins still are', async () => {
    const { system } = world({ "/w/a.py": "X = 1\n" }, [importersPlugin((list) => list.remove("path"))]);
    expect(pyTypes(system)).toEqual(["BuiltinImporter", "FrozenImporter"]);
    expect((await failure(system.importModule("a"))).message).toBe("No module named 'a'");
    expect(system.pathImporterCache.size).toBe(0); // nobody consulted the path
    expect((await system.importModule("sys")).spec?.origin).toBe("built-in");
  });

  it("reordered (path first), a file on the path shadows the built-in", async () => {
    const { system } = world({ "/w/sys.py": "WHERE = 'disk'\n" }, [
      importersPlugin((list) => list.reorder(["path", "builtin", "frozen"])),
    ]);
    expect(pyTypes(system)).toEqual(["PathFinder", "BuiltinImporter", "FrozenImporter"]);
    expect((await system.importModule("sys")).getAttr("WHERE")).toBe("disk");
  });

  it("replace wraps an importer in place (same name, same position)", async () => {
    const asked: string[] = [];
    const { system } = world({ "/w/a.py": "X = 1\n" }, [
      importersPlugin((list) => {
        const inner = list.get("path");
        list.replace("path", {
          pyType: "LoggingPathFinder",
          findSpec(name, path, target, ctx) {
            asked.push(name);
            return inner.findSpec(name, path, target, ctx);
          },
          invalidateCaches: () => inner.invalidateCaches?.(),
        });
      }),
    ]);
    expect(pyTypes(system)).toEqual(["BuiltinImporter", "FrozenImporter", "LoggingPathFinder"]);
    expect((await system.importModule("a")).getAttr("X")).toBe(1n);
    expect(asked).toEqual(["a"]);
  });

  it("editLists does the same declaratively", async () => {
    const { system } = world({ "/w/sys.py": "WHERE = 'disk'\n" }, [
      editLists("config", { importers: { remove: ["frozen"], move: [{ name: "path", first: true }] } }),
    ]);
    expect(pyTypes(system)).toEqual(["PathFinder", "BuiltinImporter"]);
    expect((await system.importModule("sys")).getAttr("WHERE")).toBe("disk");
  });
});

/** A FileSystem that records every call made through it. */
class RecordingFileSystem implements FileSystem {
  readonly calls: string[] = [];
  constructor(readonly inner: FileSystem) {}
  stat(path: string): FileStat | undefined {
    this.calls.push(`stat ${path}`);
    return this.inner.stat(path);
  }
  readdir(path: string): DirEntry[] | undefined {
    this.calls.push(`readdir ${path}`);
    return this.inner.readdir(path);
  }
  readFile(path: string): Uint8Array {
    this.calls.push(`readFile ${path}`);
    return this.inner.readFile(path);
  }
  read(path: string, position: number, length: number): Uint8Array {
    this.calls.push(`read ${path}`);
    return this.inner.read(path, position, length);
  }
  writeFile(path: string, data: Uint8Array): void {
    this.calls.push(`writeFile ${path}`);
    this.inner.writeFile(path, data);
  }
  mkdir(path: string): void {
    this.calls.push(`mkdir ${path}`);
    this.inner.mkdir(path);
  }
  cwd(): string {
    return this.inner.cwd();
  }
}

/** Files laid over another file system (new files only, in existing directories). */
class OverlayFileSystem extends RecordingFileSystem {
  private readonly files: Map<string, Uint8Array>;
  constructor(inner: FileSystem, files: Record<string, string>) {
    super(inner);
    this.files = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  }
  override stat(path: string): FileStat | undefined {
    const data = this.files.get(path);
    return data === undefined ? super.stat(path) : { kind: "file", size: data.length, mtimeMs: 0 };
  }
  override readdir(path: string): DirEntry[] | undefined {
    const entries = super.readdir(path);
    if (entries === undefined) return undefined;
    const added = [...this.files.keys()]
      .filter((file) => file.slice(0, file.lastIndexOf("/")) === path)
      .map((file): DirEntry => ({ name: file.slice(file.lastIndexOf("/") + 1), kind: "file" }));
    return [...entries, ...added];
  }
  override readFile(path: string): Uint8Array {
    return this.files.get(path) ?? super.readFile(path);
  }
}

describe("plugins: the file system", () => {
  it("a replacement file system is the only one used", async () => {
    const given = new CountingFileSystem(MemFileSystem.fromFiles({ "/w/a.py": "X = 1\n" }));
    const replacement = MemFileSystem.fromFiles({ "/w/a.py": "X = 2\n" });
    const system = createImportSystem({
      fs: given,
      plugins: [{ name: "swap-fs", fileSystem: () => replacement }],
    });
    system.path.push("/w");
    expect((await system.importModule("a")).getAttr("X")).toBe(2n);
    expect(given.total).toBe(0);
  });

  it("a wrapper sees every access: stats, listings and reads of the import", async () => {
    let recorder: RecordingFileSystem | undefined;
    const { system } = world(
      { "/w/a.py": "X = 1\n", "/w/pkg/__init__.py": "from . import m\n", "/w/pkg/m.py": "" },
      [{ name: "record", fileSystem: (fs) => (recorder = new RecordingFileSystem(fs)) }],
    );
    await system.importModule("a");
    await system.importModule("pkg");
    const calls = recorder!.calls;
    expect(calls).toContain("readFile /w/a.py");
    expect(calls).toContain("readFile /w/pkg/__init__.py");
    expect(calls).toContain("readFile /w/pkg/m.py");
    expect(calls.some((c) => c.startsWith("readdir /w"))).toBe(true);
    expect(calls.some((c) => c.startsWith("stat /w"))).toBe(true);
  });

  it("an overlay file system adds modules the given one does not have", async () => {
    const { system } = world({ "/w/a.py": "X = 1\n" }, [
      { name: "overlay", fileSystem: (fs) => new OverlayFileSystem(fs, { "/w/b.py": "Y = 2\n" }) },
    ]);
    expect((await system.importModule("a")).getAttr("X")).toBe(1n);
    const b = await system.importModule("b");
    expect(b.getAttr("Y")).toBe(2n);
    expect(b.spec?.origin).toBe("/w/b.py");
  });

  it("wrappers stack in plugin order: each gets the previous one's file system", () => {
    const given = MemFileSystem.fromFiles({});
    const seen: FileSystem[] = [];
    let first: FileSystem | undefined;
    let second: FileSystem | undefined;
    const system = createImportSystem({
      fs: given,
      plugins: [
        {
          name: "one",
          fileSystem: (fs) => {
            seen.push(fs);
            first = new RecordingFileSystem(fs);
            return first;
          },
        },
        {
          name: "two",
          fileSystem: (fs) => {
            seen.push(fs);
            second = new RecordingFileSystem(fs);
            return second;
          },
        },
      ],
    });
    expect(seen).toEqual([given, first]);
    // The audit layer is outermost, over the last plugin's file system.
    expect(system.fs).toBeInstanceOf(AuditingFileSystem);
    expect((system.fs as AuditingFileSystem).inner).toBe(second);
  });

  it("the audit layer wraps the plugin's file system: hooks see (and may veto) its accesses", async () => {
    let recorder: RecordingFileSystem | undefined;
    const events: AuditEvent[] = [];
    const { system } = world({ "/w/a.py": "X = 1\n", "/w/secret.py": "S = 1\n" }, [
      { name: "record", fileSystem: (fs) => (recorder = new RecordingFileSystem(fs)) },
      {
        name: "auditor",
        started: (s) => {
          s.sys.auditHooks.add((event) => {
            events.push(event);
            if (event.event === "open" && event.path === "/w/secret.py") throw new Error("vetoed");
          });
        },
      },
    ]);
    await system.importModule("a");
    expect(events).toContainEqual({ event: "open", path: "/w/a.py", mode: "r" });
    expect(events).toContainEqual({ event: "os.listdir", path: "/w" });
    expect(recorder!.calls).toContain("readFile /w/a.py");

    expect((await failure(system.importModule("secret"))).message).toBe("vetoed");
    // Vetoed before the plugin's file system was asked.
    expect(recorder!.calls).not.toContain("readFile /w/secret.py");
    expect(system.modules.has("secret")).toBe(false);
  });

  it("the stage gets the profile, sys, events and audit hooks of the system being built", () => {
    let ctx: Parameters<NonNullable<ImportPlugin["fileSystem"]>>[1] | undefined;
    const system = createImportSystem({
      fs: MemFileSystem.fromFiles({}),
      profile: "cpython-3.9",
      plugins: [
        {
          name: "ctx",
          fileSystem: (fs, c) => {
            ctx = c;
            return fs;
          },
        },
      ],
    });
    expect(ctx!.profile.versionInfo.slice(0, 2)).toEqual([3, 9]);
    expect(ctx!.sys).toBe(system.sys);
    expect(ctx!.events).toBe(system.events);
    expect(ctx!.audit).toBe(system.sys.auditHooks);
  });
});

/** A path-entry finder that serves every name as a module and records the entries it was made for. */
class AcceptAllHook implements PathHook {
  readonly name = "accept-all";
  readonly entries: string[] = [];
  createFinder(entry: string): PathEntryFinder {
    this.entries.push(entry);
    return {
      pyType: "AcceptAllFinder",
      findSpec: (name) =>
        new ModuleSpec(
          name,
          { pyType: "AcceptAllLoader", execModule: () => {} },
          { origin: `${entry}!${name}` },
        ),
    };
  }
}

const LIB_ZIP = buildZip({ entries: [{ name: "zipped.py", data: "Z = 1\n" }] }).bytes;

describe("plugins: path hooks (sys.path_hooks)", () => {
  const hookNames = (system: ImportSystem) => system.pathHooks.map((h) => h.name);

  it('the default hooks are "zip" then "directory" (zipimporter, FileFinder.path_hook)', () => {
    let names: string[] = [];
    const { system } = world({}, [{ name: "look", pathHooks: (hooks) => (names = hooks.names) }]);
    expect(names).toEqual(["zip", "directory"]);
    expect(hookNames(system)).toEqual(["zipimporter", "FileFinder.path_hook"]);
  });

  it("a hook added first takes every entry; added last, only what the others decline", async () => {
    const first = new AcceptAllHook();
    const a = world({ "/w/a.py": "X = 1\n" }, [
      { name: "h", pathHooks: (hooks) => hooks.add("all", first, "first") },
    ]);
    expect(hookNames(a.system)).toEqual(["accept-all", "zipimporter", "FileFinder.path_hook"]);
    expect((await a.system.importModule("a")).spec?.origin).toBe("/w!a");
    expect(a.system.pathImporterCache.get("/w")?.pyType).toBe("AcceptAllFinder");

    const last = new AcceptAllHook();
    const b = world({ "/w/a.py": "X = 1\n" }, [{ name: "h", pathHooks: (hooks) => hooks.add("all", last) }]);
    b.system.path.unshift("/nowhere");
    expect(hookNames(b.system)).toEqual(["zipimporter", "FileFinder.path_hook", "accept-all"]);
    // /nowhere is declined by zipimporter and FileFinder: the last hook gets it, and its finder answers.
    expect((await b.system.importModule("a")).spec?.origin).toBe("/nowhere!a");
    expect(last.entries).toEqual(["/nowhere"]);
  });

  it('without "directory", directories are declined and cached as None', async () => {
    const { system } = world({ "/w/a.py": "X = 1\n" }, [
      { name: "h", pathHooks: (hooks) => hooks.remove("directory") },
    ]);
    expect(hookNames(system)).toEqual(["zipimporter"]);
    expect((await failure(system.importModule("a"))).message).toBe("No module named 'a'");
    expect(system.pathImporterCache.get("/w")).toBeNull();
  });

  it('without "zip", an archive on sys.path is declined and cached as None', async () => {
    const plain = world({ "/w/lib.zip": LIB_ZIP });
    plain.system.path.push("/w/lib.zip");
    expect((await plain.system.importModule("zipped")).spec?.loaderKind).toBe("zipimporter");

    const { system } = world({ "/w/lib.zip": LIB_ZIP }, [
      { name: "h", pathHooks: (hooks) => hooks.remove("zip") },
    ]);
    system.path.push("/w/lib.zip");
    expect((await failure(system.importModule("zipped"))).message).toBe("No module named 'zipped'");
    expect(system.pathImporterCache.get("/w/lib.zip")).toBeNull();
  });

  it("reordered, the hook named first is asked first", async () => {
    const spy = new AcceptAllHook();
    const { system } = world({ "/w/a.py": "X = 1\n" }, [
      { name: "add", pathHooks: (hooks) => hooks.add("spy", spy) },
      { name: "order", pathHooks: (hooks) => hooks.reorder(["spy", "directory", "zip"]) },
    ]);
    expect(hookNames(system)).toEqual(["accept-all", "FileFinder.path_hook", "zipimporter"]);
    await system.importModule("a");
    expect(system.pathImporterCache.get("/w")?.pyType).toBe("AcceptAllFinder");
  });

  it("the stage gets the edited file hooks and the loader environment", () => {
    let fileHookNames: string[] = [];
    let fs: FileSystem | undefined;
    const { system } = world({}, [
      { name: "a", fileHooks: (hooks) => hooks.remove("extension") },
      {
        name: "b",
        pathHooks: (_hooks, ctx) => {
          fileHookNames = ctx.fileHooks.names;
          fs = ctx.env.fs;
        },
      },
    ]);
    expect(fileHookNames).toEqual(["source", "bytecode"]);
    expect(fs).toBe(system.fs);
  });
});

const pyc = (source: string) => encodeImportkitPyc(source, { hash: null, mtime: 0, sourceSize: 0 });

describe("plugins: file hooks", () => {
  const files = { "/w/a.py": "X = 'source'\n", "/w/a.pyc": pyc("X = 'bytecode'\n") };

  it('the default hooks are "extension", "source", "bytecode": a.py beats a.pyc', async () => {
    let names: string[] = [];
    const { system } = world(files, [{ name: "look", fileHooks: (hooks) => (names = hooks.names) }]);
    expect(names).toEqual(["extension", "source", "bytecode"]);
    const a = await system.importModule("a");
    expect(a.getAttr("X")).toBe("source");
    expect(a.spec?.loaderKind).toBe("SourceFileLoader");
  });

  it.each<[string, (hooks: FileHookRegistry) => void]>([
    ["reorder", (hooks) => hooks.reorder(["bytecode", "source", "extension"])],
    ["move", (hooks) => hooks.move("bytecode", { before: "source" })],
  ])("%s so that a.pyc beats a.py", async (_label, edit) => {
    const { system } = world(files, [{ name: "pyc-first", fileHooks: edit }]);
    const a = await system.importModule("a");
    expect(a.getAttr("X")).toBe("bytecode");
    expect(a.spec?.loaderKind).toBe("SourcelessFileLoader");
    expect(a.spec?.origin).toBe("/w/a.pyc");
  });

  it('without "source", only the lone pyc is found', async () => {
    const { system } = world(files, [{ name: "no-source", fileHooks: (hooks) => hooks.remove("source") }]);
    expect((await system.importModule("a")).spec?.origin).toBe("/w/a.pyc");
    const bare = world({ "/w/b.py": "" }, [
      { name: "no-source", fileHooks: (hooks) => hooks.remove("source") },
    ]);
    expect((await failure(bare.system.importModule("b"))).message).toBe("No module named 'b'");
  });

  it("a new hook, with createMemberLoader, works in directories and zip archives", async () => {
    const textLoader = (read: () => Uint8Array): Loader => ({
      pyType: "TextLoader",
      execModule: (module) => module.setAttr("TEXT", new TextDecoder().decode(read())),
    });
    const plugin: ImportPlugin = {
      name: "text",
      fileHooks(hooks, { env }) {
        const hook: FileHook = {
          name: "text",
          suffixes: [".txt"],
          createLoader: (_fullname, path) => textLoader(() => env.fs.readFile(path)),
          createMemberLoader: (_fullname, member: ArchiveMember) => textLoader(() => member.read()),
        };
        hooks.add(hook, { before: "bytecode" });
      },
    };
    const lib = buildZip({ entries: [{ name: "zipped.txt", data: "from the archive" }] }).bytes;
    const { system } = world({ "/w/note.txt": "from the directory", "/w/lib.zip": lib }, [plugin]);
    system.path.push("/w/lib.zip");
    const note = await system.importModule("note");
    expect(note.getAttr("TEXT")).toBe("from the directory");
    expect(note.spec?.origin).toBe("/w/note.txt");
    const zipped = await system.importModule("zipped");
    expect(zipped.getAttr("TEXT")).toBe("from the archive");
    expect(zipped.spec?.origin).toBe("/w/lib.zip/zipped.txt");
  });
});

/** An executor that runs nothing but records what it was asked to compile and run. */
class RecordingExecutor implements Executor {
  readonly compiled: [filename: string, source: string][] = [];
  readonly ran: string[] = [];
  compile(source: string, filename: string): CompiledCode {
    this.compiled.push([filename, source]);
    return { filename };
  }
  exec(code: CompiledCode, module: Module, _ctx: ImportContext): void {
    this.ran.push(`${module.name} ← ${code.filename}`);
    module.setAttr("RAN_BY", "recording");
  }
}

describe("plugins: the executor", () => {
  it("a replacement executor runs every module's code", async () => {
    const fake = new RecordingExecutor();
    const { system } = world({ "/w/a.py": "X = 1\n", "/w/pkg/__init__.py": "" }, [
      { name: "fake", executor: () => fake },
    ]);
    expect(system.executor).toBe(fake);
    const a = await system.importModule("a");
    await system.importModule("pkg");
    expect(fake.compiled).toEqual([
      ["/w/a.py", "X = 1\n"],
      ["/w/pkg/__init__.py", ""],
    ]);
    expect(fake.ran).toEqual(["a ← /w/a.py", "pkg ← /w/pkg/__init__.py"]);
    expect(a.getAttr("RAN_BY")).toBe("recording");
    expect(a.has("X")).toBe(false); // the fake ran instead of the real interpreter
  });

  it("a wrapper gets the configured executor and may delegate to it", async () => {
    const configured = new RecordingExecutor();
    let received: Executor | undefined;
    const files: string[] = [];
    const system = createImportSystem({
      fs: MemFileSystem.fromFiles({ "/w/a.py": "X = 1\n" }),
      executor: configured,
      plugins: [
        {
          name: "log",
          executor: (inner) => {
            received = inner;
            return {
              compile: (source, filename) => {
                files.push(filename);
                return inner.compile(source, filename);
              },
              exec: (code, module, ctx) => inner.exec(code, module, ctx),
            };
          },
        },
      ],
    });
    system.path.push("/w");
    expect((await system.importModule("a")).getAttr("RAN_BY")).toBe("recording");
    expect(received).toBe(configured);
    expect(files).toEqual(["/w/a.py"]);
  });

  it("executor wrappers stack in plugin order", async () => {
    const order: string[] = [];
    const wrap =
      (label: string): NonNullable<ImportPlugin["executor"]> =>
      (inner) => ({
        compile: (source, filename) => {
          order.push(label);
          return inner.compile(source, filename);
        },
        exec: (code, module, ctx) => inner.exec(code, module, ctx),
      });
    const { system } = world({ "/w/a.py": "X = 1\n" }, [
      { name: "inner", executor: wrap("inner") },
      { name: "outer", executor: wrap("outer") },
    ]);
    expect((await system.importModule("a")).getAttr("X")).toBe(1n);
    expect(order).toEqual(["outer", "inner"]);
  });
});

describe("plugins: started, order, errors", () => {
  it("started runs once, with the system that is returned", async () => {
    const seen: ImportSystem[] = [];
    const c = createContainer({
      fs: MemFileSystem.fromFiles({ "/w/a.py": "X = 1\n" }),
      plugins: [
        {
          name: "s",
          started: (system) => {
            seen.push(system);
            system.path.push("/w");
          },
        },
      ],
    });
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    expect(c.resolve<ImportSystem>(T.IMPORT_SYSTEM)).toBe(system);
    expect(seen).toEqual([system]);
    expect(system.path).toEqual(["/w"]);
    expect((await system.importModule("a")).getAttr("X")).toBe(1n);
  });

  it("plugins apply in order within a stage: the second sees the first's edits", () => {
    const first: ImportPlugin = {
      name: "first",
      importers: (list) => list.add("a", new TableImporter([]), "first"),
    };
    const second: ImportPlugin = {
      name: "second",
      importers: (list) => list.add("b", new TableImporter([]), { after: "a" }),
    };
    const log: string[] = [];
    const spy = (name: string): ImportPlugin => ({
      name,
      importers: (list) => void log.push(`${name}: ${list.names}`),
    });
    createImportSystem({
      fs: MemFileSystem.fromFiles({}),
      plugins: [spy("0"), first, spy("1"), second, spy("2")],
    });
    expect(log).toEqual(["0: builtin,frozen,path", "1: a,builtin,frozen,path", "2: a,b,builtin,frozen,path"]);

    const error = thrown(() =>
      createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [second, first] }),
    );
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toBe(
      "plugin 'second' failed at its importers stage: no importer named 'a' (have: builtin, frozen, path)",
    );
  });

  const STAGES = [
    "fileSystem",
    "executor",
    "fileHooks",
    "zipOptions",
    "pathHooks",
    "importers",
    "started",
  ] as const;
  const spyOnEveryStage = (log: string[], name: string): ImportPlugin => ({
    name,
    fileSystem: (fs) => {
      log.push(`${name}.fileSystem`);
      return fs;
    },
    executor: (executor) => {
      log.push(`${name}.executor`);
      return executor;
    },
    fileHooks: () => void log.push(`${name}.fileHooks`),
    zipOptions: (options) => {
      log.push(`${name}.zipOptions`);
      return options;
    },
    pathHooks: () => void log.push(`${name}.pathHooks`),
    importers: () => void log.push(`${name}.importers`),
    started: () => void log.push(`${name}.started`),
  });

  it("every stage runs once per plugin, and a stage runs its plugins in the order given", () => {
    const log: string[] = [];
    createImportSystem({
      fs: MemFileSystem.fromFiles({}),
      plugins: [spyOnEveryStage(log, "p"), spyOnEveryStage(log, "q")],
    });
    expect(log).toHaveLength(STAGES.length * 2);
    for (const stage of STAGES) {
      expect(log.filter((l) => l.endsWith(`.${stage}`))).toEqual([`p.${stage}`, `q.${stage}`]);
    }
    expect(log.slice(0, 4)).toEqual(["p.fileSystem", "q.fileSystem", "p.executor", "q.executor"]);
    expect(log.slice(-2)).toEqual(["p.started", "q.started"]);
  });

  it("stages run in the documented order", () => {
    const log: string[] = [];
    createImportSystem({ fs: MemFileSystem.fromFiles({}), plugins: [spyOnEveryStage(log, "p")] });
    expect(log).toEqual(STAGES.map((stage) => `p.${stage}`));
  });

  it("zipOptions gets the configured options and its result is used", () => {
    let received: ZipImportOptions | undefined;
    const c = createContainer({
      fs: MemFileSystem.fromFiles({}),
      zip: { checkCrc: false },
      plugins: [
        {
          name: "zip",
          zipOptions: (options) => {
            received = options;
            return { ...options, revalidate: false };
          },
        },
      ],
    });
    c.resolve(T.IMPORT_SYSTEM);
    expect(received?.checkCrc).toBe(false);
    expect(c.resolve<ZipImportOptions>(T.ZIP_OPTIONS)).toMatchObject({ checkCrc: false, revalidate: false });
  });

  it.each(STAGES)("a plugin throwing at its %s stage raises PluginError naming it and the stage", (stage) => {
    const log: string[] = [];
    const boom = new Error("boom");
    const bad: ImportPlugin = {
      name: "bad",
      [stage]: () => {
        throw boom;
      },
    };
    const error = thrown(() =>
      createImportSystem({
        fs: MemFileSystem.fromFiles({}),
        plugins: [spyOnEveryStage(log, "before"), bad, spyOnEveryStage(log, "after")],
      }),
    );
    expect(error).toBeInstanceOf(PluginError);
    expect(error.name).toBe("PluginError");
    expect(error.message).toBe(`plugin 'bad' failed at its ${stage} stage: boom`);
    expect(error.cause).toBe(boom);
    // The stage stopped at the failing plugin: the one before ran it, the one after did not.
    expect(log).toContain(`before.${stage}`);
    expect(log).not.toContain(`after.${stage}`);
  });

  it("a thrown non-Error is named too", () => {
    const error = thrown(() =>
      createImportSystem({
        fs: MemFileSystem.fromFiles({}),
        plugins: [
          {
            name: "odd",
            pathHooks: () => {
              throw "a string";
            },
          },
        ],
      }),
    );
    expect(error).toBeInstanceOf(PluginError);
    expect(error.message).toBe("plugin 'odd' failed at its pathHooks stage: a string");
  });
});

describe("the raw tsyringe tokens: register before resolving T.IMPORT_SYSTEM", () => {
  it("T.EXECUTOR: the registered executor runs module code", async () => {
    const fake = new RecordingExecutor();
    const c = createContainer({ fs: MemFileSystem.fromFiles({ "/w/a.py": "X = 1\n" }) });
    c.register(T.EXECUTOR, { useValue: fake });
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    system.path.push("/w");
    expect(system.executor).toBe(fake);
    expect((await system.importModule("a")).getAttr("RAN_BY")).toBe("recording");
    expect(fake.compiled).toEqual([["/w/a.py", "X = 1\n"]]);
  });

  it("a registered value replaces the whole part: that part's plugin stage does not run", async () => {
    const fake = new RecordingExecutor();
    const log: string[] = [];
    const c = createContainer({ fs: MemFileSystem.fromFiles({}), plugins: [spyOnStages(log)] });
    c.register(T.EXECUTOR, { useValue: fake });
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    expect(system.executor).toBe(fake);
    expect(log).not.toContain("executor");
    expect(log).toContain("fileSystem");
  });

  it("T.FILE_SYSTEM: every access goes to the registered file system (with no audit layer over it)", async () => {
    const fs = new RecordingFileSystem(MemFileSystem.fromFiles({ "/w/a.py": "X = 1\n" }));
    const c = createContainer({ fs: MemFileSystem.fromFiles({}) });
    c.register(T.FILE_SYSTEM, { useValue: fs });
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    system.path.push("/w");
    expect(system.fs).toBe(fs);
    expect((await system.importModule("a")).getAttr("X")).toBe(1n);
    expect(fs.calls).toContain("readFile /w/a.py");
  });

  it("T.META_PATH and T.PATH_HOOKS: the registered lists are sys.meta_path and sys.path_hooks", async () => {
    const table = new TableImporter(["t"]);
    const hook = new AcceptAllHook();
    const c = createContainer({ fs: MemFileSystem.fromFiles({}) });
    c.register(T.META_PATH, { useValue: [table] });
    c.register(T.PATH_HOOKS, { useValue: [hook] });
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    expect(system.metaPath).toEqual([table]);
    expect(system.pathHooks).toEqual([hook]);
    expect((await system.importModule("t")).spec?.origin).toBe("table:t");
    expect(await failure(system.importModule("sys"))).toBeInstanceOf(ModuleNotFoundError);
  });

  it("T.FILE_HOOKS: the registry resolved from the container is the one finders use", async () => {
    const c = createContainer({
      fs: MemFileSystem.fromFiles({ "/w/a.py": "X = 'source'\n", "/w/a.pyc": pyc("X = 'bytecode'\n") }),
    });
    c.resolve<FileHookRegistry>(T.FILE_HOOKS).move("bytecode", "first");
    const system = c.resolve<ImportSystem>(T.IMPORT_SYSTEM);
    system.path.push("/w");
    expect((await system.importModule("a")).getAttr("X")).toBe("bytecode");
  });
});

function spyOnStages(log: string[]): ImportPlugin {
  return {
    name: "spy",
    fileSystem: (fs) => {
      log.push("fileSystem");
      return fs;
    },
    executor: (executor) => {
      log.push("executor");
      return executor;
    },
  };
}
