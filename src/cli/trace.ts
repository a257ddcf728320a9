/**
 * `importkit trace FILE`: a readable account of a scenario — each step; each importer, path entry and file
 * hook asked; location-cache listings and hits; files read; loads; errors — with timings and the file-system
 * calls each step made.
 */
import type { Command } from "commander";
import { CountingFileSystem } from "../core/fs/counting-fs.js";
import type { VersionProfile } from "../core/profile.js";
import { DEFAULT_PROFILE, loadProfile } from "../core/profile.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import type { ScenarioStep } from "../scenario/format.js";
import { loadScenarioFile } from "../scenario/parse.js";
import type { StepResult } from "../scenario/result.js";
import { isUnsupported } from "../scenario/result.js";
import { runScenario } from "../scenario/runner.js";
import { loadConfig } from "./config-file.js";
import { TraceFormatter } from "./trace-format.js";

interface TraceOptions {
  readonly profile: string;
  readonly config?: string;
  readonly verbose?: boolean;
}

export function registerTrace(program: Command): void {
  program
    .command("trace")
    .description("run a scenario file and print a readable account of every import step, with timings")
    .argument("<file>", "scenario JSON file")
    .option("--profile <profile>", "CPython version profile", DEFAULT_PROFILE)
    .option("-v, --verbose", "also show cache hits and every declined path hook")
    .option("--config <file>", "plugins to build the import system with (a JS/TS module or JSON)")
    .action(async (file: string, options: TraceOptions, command: Command) => {
      let profile: VersionProfile;
      let plugins: ImportPlugin[] = [];
      try {
        profile = loadProfile(options.profile);
        if (options.config !== undefined) plugins = await loadConfig(options.config);
      } catch (error) {
        command.error(`importkit trace: ${error instanceof Error ? error.message : String(error)}`);
      }
      const { lines, status } = await trace(file, profile, options.verbose ?? false, plugins);
      process.stdout.write(`${lines.join("\n")}\n`);
      if (status !== 0) process.exitCode = status;
    });
}

/** Trace one scenario file; returns the lines and an exit status (1 when unsupported). */
export async function trace(
  file: string,
  profile: VersionProfile,
  verbose: boolean,
  plugins: readonly ImportPlugin[] = [],
): Promise<{ lines: string[]; status: number }> {
  const scenario = await loadScenarioFile(file);
  let formatter = new TraceFormatter({ verbose });
  let counting: CountingFileSystem | null = null;
  const result = await runScenario(scenario, {
    profile,
    plugins,
    wrapFileSystem: (fs) => (counting = new CountingFileSystem(fs)),
    observer: {
      attach(system, rewrite) {
        formatter = new TraceFormatter({ verbose, rewrite });
        formatter.section(`scenario ${scenario.name} (${profile.name}): ${scenario.description}`);
        formatter.section(`sys.path = [${system.path.map((p) => `'${rewrite(p)}'`).join(", ")}]`);
        counting?.reset();
        system.events.on((event, time) => formatter.add(event, time));
      },
      step(index, step) {
        formatter.section(`\nstep ${index + 1}: ${describeStep(step)}`);
      },
      stepDone(_index, outcome: StepResult) {
        formatter.section(stepSummary(outcome, counting));
        counting?.reset();
      },
    },
  });
  if (isUnsupported(result)) {
    formatter.section(`\nnot supported: ${result.unsupported}`);
    return { lines: formatter.lines, status: 1 };
  }
  return { lines: formatter.lines, status: 0 };
}

function describeStep(step: ScenarioStep): string {
  if ("run" in step) return `run ${JSON.stringify(step.run)}`;
  if ("write" in step) return `write ${Object.keys(step.write).join(", ")} (the harness)`;
  if ("remove" in step) return `remove ${step.remove.join(", ")} (the harness)`;
  if ("invalidate_caches" in step) return "importlib.invalidate_caches()";
  if ("reload" in step) return `importlib.reload(sys.modules[${JSON.stringify(step.reload)}])`;
  if ("forget" in step) return `del sys.modules[${JSON.stringify(step.forget)}]`;
  return `sys.path[:] = ${JSON.stringify(step.path)}`;
}

function stepSummary(outcome: StepResult, counting: CountingFileSystem | null): string {
  const status = outcome.ok ? "ok" : `raised ${outcome.error?.type}: ${outcome.error?.message}`;
  const parts = [`  → ${status}`];
  if (outcome.loaded.length) parts.push(`loaded ${outcome.loaded.join(", ")}`);
  if (outcome.new_modules.length) parts.push(`new in sys.modules: ${outcome.new_modules.join(", ")}`);
  if (outcome.removed_modules.length) parts.push(`removed: ${outcome.removed_modules.join(", ")}`);
  if (counting) {
    const c = counting.counts;
    parts.push(`fs calls: ${c.stat} stat, ${c.readdir} listdir, ${c.readFile + c.read} read`);
  }
  return parts.join("; ");
}
