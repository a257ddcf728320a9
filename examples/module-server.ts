/**
 * A custom path hook: path entries that are not file-system paths. An in-process module server holds
 * sites of modules (names → source text); a `sys.path` entry `mem://NAME` stands for the site NAME. A path
 * hook turns such an entry into a path-entry finder and declines every other entry; a plugin registers it.
 * Run: node --import tsx examples/module-server.ts
 */
import { pathToFileURL } from "node:url";
import {
  createImportSystem,
  type ImportContext,
  type ImportPlugin,
  type ImportSystem,
  type Loader,
  MemFileSystem,
  type Module,
  ModuleNotFoundError,
  ModuleSpec,
  type PathEntryFinder,
  type PathHook,
  type Placement,
  PyList,
} from "../src/index.js";

const SCHEME = "mem://";

/** Sites of modules by name. A module is `greet`; a package is `tools/__init__`, its submodules `tools/fmt`. */
export class ModuleServer {
  private readonly sites = new Map<string, Map<string, string>>();

  /** Serve `modules` as the site `mem://NAME`. */
  serve(site: string, modules: Record<string, string>): this {
    this.sites.set(site, new Map(Object.entries(modules)));
    return this;
  }

  /** Add or replace one module of a site (finders made before see it after `invalidateCaches()`). */
  publish(site: string, key: string, source: string): void {
    this.sites.get(site)?.set(key, source);
  }

  /** Whether `mem://SITE/DIR` names something the server has: the site itself, or a directory in it. */
  hasDirectory(site: string, dir: string): boolean {
    const modules = this.sites.get(site);
    if (modules === undefined) return false;
    return dir === "" || [...modules.keys()].some((key) => key.startsWith(`${dir}/`));
  }

  /** The keys of a site, now (a copy: finders keep it as FileFinder keeps a directory listing). */
  listing(site: string): ReadonlySet<string> {
    return new Set(this.sites.get(site)?.keys());
  }

  source(site: string, key: string): string | undefined {
    return this.sites.get(site)?.get(key);
  }
}

/** The path hook: a finder for the `mem://` entries the server has, null (declined) for every other entry. */
export class ModuleServerPathHook implements PathHook {
  readonly name = "ModuleServerFinder.path_hook";
  constructor(private readonly server: ModuleServer) {}

  createFinder(entry: string): ModuleServerFinder | null {
    if (!entry.startsWith(SCHEME)) return null;
    const [site = "", ...dirs] = entry.slice(SCHEME.length).split("/").filter(Boolean);
    const dir = dirs.join("/");
    if (!this.server.hasDirectory(site, dir)) return null;
    return new ModuleServerFinder(this.server, site, dir);
  }
}

/** Finds modules in one directory of one site (CPython: a path-entry finder, as FileFinder is for a directory). */
export class ModuleServerFinder implements PathEntryFinder {
  readonly pyType = "ModuleServerFinder";
  /** `mem://SITE/DIR`: what origins and package search locations start with. */
  readonly location: string;
  /** The site's keys when the finder was made or last invalidated. */
  private keys: ReadonlySet<string>;

  constructor(
    private readonly server: ModuleServer,
    private readonly site: string,
    private readonly dir: string,
  ) {
    this.location = SCHEME + (dir === "" ? site : `${site}/${dir}`);
    this.keys = server.listing(site);
  }

  findSpec(fullname: string): ModuleSpec | null {
    const tail = fullname.slice(fullname.lastIndexOf(".") + 1);
    const key = this.dir === "" ? tail : `${this.dir}/${tail}`;
    const location = `${this.location}/${tail}`;
    // As FileFinder: a package first, then a module, then a namespace portion.
    if (this.keys.has(`${key}/__init__`)) {
      const loader = this.loader(`${key}/__init__`, `${location}/__init__`, true);
      return new ModuleSpec(fullname, loader, {
        origin: `${location}/__init__`,
        submoduleSearchLocations: new PyList([location]),
      });
    }
    if (this.keys.has(key))
      return new ModuleSpec(fullname, this.loader(key, location, false), { origin: location });
    if ([...this.keys].some((k) => k.startsWith(`${key}/`))) {
      return new ModuleSpec(fullname, null, { submoduleSearchLocations: new PyList([location]) });
    }
    return null;
  }

  /**
   * `importlib.invalidate_caches()`: CPython 3.8–3.10 call this for every cached finder; 3.11+ instead drop
   * cache entries that are not absolute paths (`mem://…` is not), so the next lookup makes a new finder.
   */
  invalidateCaches(): void {
    this.keys = this.server.listing(this.site);
  }

  private loader(key: string, origin: string, isPackage: boolean): ModuleServerLoader {
    return new ModuleServerLoader(this.server.source(this.site, key) ?? "", origin, isPackage);
  }
}

/** Runs a served module's source in the new module, on the system's executor. */
export class ModuleServerLoader implements Loader {
  readonly pyType = "ModuleServerLoader";
  constructor(
    private readonly source: string,
    private readonly origin: string,
    private readonly packageFlag: boolean,
  ) {}

  isPackage(): boolean {
    return this.packageFlag;
  }

  getSource(): string {
    return this.source;
  }

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    const { executor } = ctx.system as ImportSystem;
    const code = executor.compile(this.source, this.origin);
    await executor.exec(code, module, ctx); // pass ctx on: the module's own imports share the task
  }
}

/** The plugin that installs the hook (first by default: asked before zipimporter and FileFinder). */
export function moduleServerPlugin(server: ModuleServer, where: Placement = "first"): ImportPlugin {
  return {
    name: "module-server",
    pathHooks(hooks) {
      hooks.add("module-server", new ModuleServerPathHook(server), where);
    },
  };
}

/** A second plugin: wraps the executor to show what runs (the server's loader compiles through it too). */
export function traceCompiles(print: (line: string) => void): ImportPlugin {
  return {
    name: "trace-compiles",
    executor: (inner) => ({
      compile(source, filename) {
        print(`  compile ${filename}`);
        return inner.compile(source, filename);
      },
      exec: (code, module, ctx) => inner.exec(code, module, ctx),
    }),
  };
}

/** `sys.path_importer_cache`, one line per entry: the finder's type, or None for a declined entry. */
function showCache(system: ImportSystem): void {
  for (const [entry, finder] of system.pathImporterCache)
    console.log(`  ${entry}: ${finder?.pyType ?? "None"}`);
}

async function main(): Promise<void> {
  const server = new ModuleServer().serve("plugins", {
    greet: 'MESSAGE = "hello from the module server"\n',
    "tools/__init__": "from . import fmt\n",
    "tools/fmt": 'STYLE = "bold"\n',
  });
  const system = createImportSystem({
    fs: MemFileSystem.fromFiles({ "/site/app.py": "import greet\nfrom tools.fmt import STYLE\n" }),
    plugins: [moduleServerPlugin(server), traceCompiles(console.log)],
  });
  // Entries nobody accepts (an unknown site, a missing directory) are tried first: cached as None.
  system.path.push("/site", "mem://nowhere", "/site/missing", "mem://plugins");
  console.log("path hooks:", system.pathHooks.map((hook) => hook.name).join(", "));

  console.log("import app");
  const app = await system.importModule("app");
  const greet = system.modules.get("greet")!;
  const tools = system.modules.get("tools")!;
  console.log(greet.getAttr("MESSAGE"), "—", greet.spec?.origin, greet.spec?.loaderKind);
  console.log("STYLE:", app.getAttr("STYLE"), "— tools.__path__:", (tools.path as PyList).items.join(", "));
  console.log("path_importer_cache:");
  showCache(system);

  // Published after the finder listed the site: not seen until the caches are invalidated.
  server.publish("plugins", "late", "X = 1\n");
  console.log("import late");
  try {
    await system.importModule("late");
  } catch (error) {
    if (!(error instanceof ModuleNotFoundError)) throw error;
    console.log(`${error.pyType}: ${error.message}`);
  }
  system.invalidateCaches();
  console.log("invalidate_caches, path_importer_cache:");
  showCache(system);
  console.log("import late");
  const late = await system.importModule("late");
  console.log("late.X:", String(late.getAttr("X")), "—", late.spec?.origin);
  console.log("path_importer_cache:");
  showCache(system);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
