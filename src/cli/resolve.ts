/** `importkit resolve`: where modules would be found on the real disk, running nothing. */
import { readFileSync } from "node:fs";
import { resolve as absolute } from "node:path";
import type { Command } from "commander";
import { NodeFileSystem } from "../core/fs/node-fs.js";
import { CPYTHON_ZIP_OPTIONS } from "../hooks/zip/zip-options.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import { createResolver } from "../resolve/create-resolver.js";
import type { Resolution } from "../resolve/resolver.js";
import { loadConfig } from "./config-file.js";

interface ResolveOptions {
  path: string[];
  profile: string;
  namesFile?: string;
  json?: boolean;
  allImporters?: boolean;
  config?: string;
}

export function registerResolve(program: Command): void {
  program
    .command("resolve")
    .description("find where modules would be found along a path on the real disk, without running anything")
    .argument("[names...]", "dotted module names")
    .requiredOption("--path <dir...>", "the search path (sys.path), in order")
    .option("--profile <profile>", "CPython version profile", "cpython-3.11")
    .option("--names-file <file>", "read names from a file, one per line")
    .option("--json", "one JSON line per name: name, origin, loader, submodule_search_locations, cached")
    .option(
      "--all-importers",
      "ask the whole importer list (built-in, frozen, …), not the path importer alone",
    )
    .option("--config <file>", "plugins to build the import system with (a JS/TS module or JSON)")
    .action(async (names: string[], options: ResolveOptions) => {
      const all = [...names];
      if (options.namesFile) {
        for (const line of readFileSync(options.namesFile, "utf8").split("\n")) {
          const name = line.trim();
          if (name) all.push(name);
        }
      }
      if (all.length === 0) program.error("resolve: give module names or --names-file");
      let plugins: ImportPlugin[] = [];
      try {
        if (options.config !== undefined) plugins = await loadConfig(options.config);
      } catch (error) {
        program.error(`importkit resolve: ${error instanceof Error ? error.message : String(error)}`);
      }
      const path = options.path.map((p) => (p === "" ? "" : absolute(p)));
      const { resolver } = createResolver({
        fs: new NodeFileSystem(),
        profile: options.profile,
        path,
        allImporters: options.allImporters ?? false,
        // What CPython would find: its zipimport checks no CRC and keeps an archive's table until invalidated.
        zip: CPYTHON_ZIP_OPTIONS,
        plugins,
      });
      const out: string[] = [];
      for (const name of all) {
        const resolution = await resolver.resolve(name);
        out.push(options.json ? JSON.stringify(resolution) : describe(resolution));
      }
      process.stdout.write(`${out.join("\n")}\n`);
    });
}

function describe(r: Resolution): string {
  if (r.error !== undefined) return `${r.name}: ${r.error.type}: ${r.error.message}`;
  if (r.origin === null && r.loader === null && r.submodule_search_locations === null)
    return `${r.name}: not found`;
  const parts = [`${r.name}: ${r.origin ?? "(namespace package)"}`, `loader ${r.loader ?? "None"}`];
  if (r.submodule_search_locations) parts.push(`search ${JSON.stringify(r.submodule_search_locations)}`);
  if (r.cached) parts.push(`cached ${r.cached}`);
  return parts.join("  ");
}
