/**
 * A custom importer: modules served from a table of sources, placed first in the importer list.
 * Run: node --import tsx examples/custom-importer.ts
 */
import {
  createImportSystem,
  type ImportContext,
  type Importer,
  type Loader,
  MemFileSystem,
  type Module,
  ModuleSpec,
} from "../src/index.js";

/** Finds modules in a table of sources (CPython: a meta path finder). */
class TableImporter implements Importer {
  readonly pyType = "TableImporter";
  constructor(private readonly sources: Record<string, string>) {}

  findSpec(name: string): ModuleSpec | null {
    const source = this.sources[name] ?? this.sources[`${name}/__init__`];
    if (source === undefined) return null;
    const isPackage = !(name in this.sources);
    return new ModuleSpec(name, new TableLoader(source), { origin: `table:${name}`, isPackage });
  }
}

/** Runs a table entry's source in the new module (CPython: a loader with exec_module). */
class TableLoader implements Loader {
  readonly pyType = "TableLoader";
  constructor(private readonly source: string) {}

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    const system = ctx.system as ReturnType<typeof createImportSystem>;
    const code = system.executor.compile(this.source, `<table ${module.name}>`);
    await system.executor.exec(code, module, ctx);
  }
}

const system = createImportSystem({
  fs: MemFileSystem.fromFiles({ "/site/greeting.py": 'WORD = "from disk"\n' }),
});
system.path.push("/site");
system.metaPath.unshift(
  new TableImporter({
    "config/__init__": 'NAME = "config"\nfrom . import defaults\n',
    "config.defaults": "LEVEL = 3\n",
    greeting: 'WORD = "from the table"\n',
  }),
);

const config = await system.importModule("config");
const greeting = await system.importModule("greeting");
console.log(config.getAttr("NAME"), String((config.getAttr("defaults") as Module).getAttr("LEVEL")));
console.log(greeting.getAttr("WORD"), "—", greeting.spec?.origin, greeting.spec?.loaderKind);
