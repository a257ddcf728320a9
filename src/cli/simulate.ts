/**
 * `importkit simulate FILE...`: run scenarios (shared/scenarios/FORMAT.md) and print one JSON result per
 * line, in order, exactly as the CPython oracle does, so the two can be compared (shared/oracle/compare.py).
 */
import type { Command } from "commander";
import type { VersionProfile } from "../core/profile.js";
import { DEFAULT_PROFILE, loadProfile } from "../core/profile.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import { runScenarioFrozen } from "../scenario/frozen-run.js";
import { toJsonLine } from "../scenario/json-line.js";
import { loadScenarioFile } from "../scenario/parse.js";
import { isUnsupported } from "../scenario/result.js";
import { runScenario } from "../scenario/runner.js";
import { loadConfig } from "./config-file.js";

interface SimulateOptions {
  readonly profile: string;
  readonly config?: string;
  readonly frozen?: boolean;
}

/** Where results and problems go (process.stdout / process.stderr, or a test's buffers). */
export interface SimulateOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processOutput: SimulateOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "run scenario files in importkit and print one JSON result per line (as the CPython oracle does)",
    )
    .argument("<files...>", "scenario JSON files")
    .option("--profile <profile>", "CPython version profile", DEFAULT_PROFILE)
    .option("--config <file>", "plugins to build the import system with (a JS/TS module or JSON)")
    .option(
      "--frozen",
      "run each scenario once to snapshot what it loads, then print the result of a run through that snapshot",
    )
    .action(async (files: string[], options: SimulateOptions, command: Command) => {
      let profile: VersionProfile;
      let plugins: ImportPlugin[] = [];
      try {
        profile = loadProfile(options.profile);
        if (options.config !== undefined) plugins = await loadConfig(options.config);
      } catch (error) {
        command.error(`importkit simulate: ${error instanceof Error ? error.message : String(error)}`);
      }
      const status = await simulate(files, profile, processOutput, plugins, options.frozen ?? false);
      if (status !== 0) process.exitCode = status;
    });
}

/**
 * Run each file in order, printing its result line. Returns 1 if any scenario was unsupported, could not be
 * read or could not be run (each reported on `err`, after which the others still run), else 0.
 */
export async function simulate(
  files: readonly string[],
  profile: VersionProfile,
  output: SimulateOutput = processOutput,
  plugins: readonly ImportPlugin[] = [],
  frozen = false,
): Promise<number> {
  let status = 0;
  for (const file of files) {
    try {
      const scenario = await loadScenarioFile(file);
      const result = frozen
        ? (await runScenarioFrozen(scenario, { profile, plugins })).frozen
        : await runScenario(scenario, { profile, plugins });
      output.out(toJsonLine(result));
      if (isUnsupported(result)) {
        output.err(`importkit simulate: ${file}: unsupported: ${result.unsupported}`);
        status = 1;
      }
    } catch (error) {
      // A malformed scenario names its file already; anything else gets the file added.
      const message = error instanceof Error ? error.message : String(error);
      output.err(`importkit simulate: ${message.startsWith(file) ? message : `${file}: ${message}`}`);
      status = 1;
    }
  }
  return status;
}
