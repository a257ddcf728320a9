/**
 * `importkit freeze --entry M --path DIR... -o FILE`: import the entry modules from the real disk and write
 * a snapshot of every module that ran (`--format snapshot`, the default), or a TypeScript module of frozen
 * module definitions (`--format ts`). Prints what was frozen and what is left to the importer list.
 */
import { writeFileSync } from "node:fs";
import { resolve as absolute } from "node:path";
import type { Command } from "commander";
import { NodeFileSystem } from "../core/fs/node-fs.js";
import { DEFAULT_PROFILE } from "../core/profile.js";
import { CPYTHON_ZIP_OPTIONS } from "../hooks/zip/zip-options.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import { decodeSnapshot } from "../snapshot/format.js";
import { freeze } from "../snapshot/freeze.js";
import { frozenTypeScript } from "../snapshot/frozen-ts.js";
import { loadConfig } from "./config-file.js";

interface FreezeCliOptions {
  readonly entry: string[];
  readonly path: string[];
  readonly output: string;
  readonly format: string;
  readonly identity: string;
  readonly profile: string;
  readonly config?: string;
  readonly importFrom: string;
}

export function registerFreeze(program: Command): void {
  program
    .command("freeze")
    .description(
      "import entry modules from disk and write a snapshot of every module that ran (or a TS frozen table)",
    )
    .requiredOption("--entry <module...>", "the modules to import, in order")
    .requiredOption("--path <dir...>", "the search path (sys.path), in order")
    .requiredOption("-o, --output <file>", "where to write the snapshot (or the TypeScript module)")
    .option(
      "--format <format>",
      "snapshot (a snapshot file) or ts (a TypeScript frozen-module table)",
      "snapshot",
    )
    .option(
      "--identity <kind>",
      "how module files are checked later: stamp (mtime and size) or hash (SHA-256)",
      "stamp",
    )
    .option("--profile <profile>", "CPython version profile", DEFAULT_PROFILE)
    .option("--config <file>", "plugins to build the import system with (a JS/TS module or JSON)")
    .option(
      "--import-from <module>",
      "--format ts: where the generated module imports importkit's types from",
      "importkit",
    )
    .action(async (options: FreezeCliOptions, command: Command) => {
      const usage = (message: string): never => command.error(`importkit freeze: ${message}`);
      if (options.format !== "snapshot" && options.format !== "ts")
        usage(`--format must be snapshot or ts, not ${options.format}`);
      if (options.identity !== "stamp" && options.identity !== "hash")
        usage(`--identity must be stamp or hash, not ${options.identity}`);
      try {
        const plugins: ImportPlugin[] = options.config === undefined ? [] : await loadConfig(options.config);
        const output = absolute(options.output);
        const result = await freeze({
          fs: new NodeFileSystem(),
          profile: options.profile,
          path: options.path.map((p) => (p === "" ? "" : absolute(p))),
          entries: options.entry,
          identity: options.identity as "stamp" | "hash",
          // What CPython would load: its zipimport checks no CRC.
          zip: CPYTHON_ZIP_OPTIONS,
          plugins,
        });
        const data =
          options.format === "ts"
            ? new TextEncoder().encode(
                frozenTypeScript(decodeSnapshot(result.data, output), options.importFrom),
              )
            : result.data;
        writeFileSync(output, data);
        const lines = [`froze ${result.frozen.length} modules into ${options.output} (${data.length} bytes)`];
        if (result.leftToPath.length > 0) {
          lines.push(`left to the importer list (${result.leftToPath.length}):`);
          for (const { name, reason } of result.leftToPath) lines.push(`  ${name}: ${reason}`);
        }
        process.stdout.write(`${lines.join("\n")}\n`);
      } catch (error) {
        // Not a usage error: no help text, just what went wrong.
        process.stderr.write(`importkit freeze: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
