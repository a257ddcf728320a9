/**
 * Running one scenario the way the oracle runs it in CPython (shared/oracle/oracle_child.py): a fresh import
 * system over a fresh world, the start snapshot, `sys.path` from the scenario, then each step, recording what
 * it raised, which loads began, how `sys.modules` changed and what `__main__` holds.
 *
 * Anything that is not a Python exception (importkit's NotSupportedError, or a bug) turns the whole result
 * into `{"scenario", "unsupported"}`: a half result must never pass for CPython's answer.
 */
import { createImportSystem } from "../composition-root.js";
import { KeyError, NotSupportedError, PyBaseException, TypeError_ } from "../core/errors.js";
import type { FileSystem } from "../core/fs/file-system.js";
import type { ImportSystem } from "../core/import-system.js";
import type { Executor, ImportContext } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { VersionProfile } from "../core/profile.js";
import { DEFAULT_PROFILE, loadProfile } from "../core/profile.js";
import { pyRepr } from "../core/values.js";
import type { ZipImportOptions } from "../hooks/zip/zip-importer.js";
import { CPYTHON_ZIP_OPTIONS } from "../hooks/zip/zip-options.js";
import type { ImportPlugin } from "../plugins/plugin.js";
import { describeError, describeModule } from "./describe-module.js";
import { describeNames } from "./describe-value.js";
import type { Scenario, ScenarioStep } from "./format.js";
import { PathRewriter } from "./path-rewriter.js";
import { sortedNames } from "./py-order.js";
import type { ErrorDescription, ModuleReport, ScenarioResult, StepResult } from "./result.js";
import { installStartSnapshot } from "./start-snapshot.js";
import { ScenarioWorld } from "./world.js";

export interface RunScenarioOptions {
  /** A bundled profile name or a profile; default "cpython-3.11". */
  readonly profile?: string | VersionProfile;
  /** Where the world lives in the in-memory file system (default: world.ts's DEFAULT_SCENARIO_ROOT). */
  readonly root?: string;
  /** Watches the run (what `importkit trace` prints). */
  readonly observer?: ScenarioObserver;
  /** Runs module code (default: the scenario-Python executor). */
  readonly executor?: Executor;
  /** Wraps the world's file system as the import system sees it (e.g. to count calls); harness writes bypass it. */
  readonly wrapFileSystem?: (fs: FileSystem) => FileSystem;
  /**
   * Zip import settings; default CPython's (`CPYTHON_ZIP_OPTIONS`: no CRC check, archives read again only on
   * `invalidate_caches`), since a scenario asks what CPython does.
   */
  readonly zip?: Partial<ZipImportOptions>;
  /** Edits of the default system (hooks, importers, policies), applied in order. */
  readonly plugins?: readonly ImportPlugin[];
}

/** Hooks into a scenario run, for tracing. */
export interface ScenarioObserver {
  /** The system is ready and the start snapshot installed; `rewrite` makes world paths relative to its root. */
  attach?(system: ImportSystem, rewrite: (text: string) => string): void;
  /** A step is about to run. */
  step?(index: number, step: ScenarioStep): void;
  /** A step has run. */
  stepDone?(index: number, result: StepResult): void;
}

/** The filename `run` steps are compiled with, as the oracle's `compile(source, '<run>', 'exec')`. */
export const RUN_FILENAME = "<run>";

/** The standard library directory the system is given: CPython's usual one for the version. */
export function stdlibDirFor(profile: VersionProfile): string {
  const [major, minor] = profile.versionInfo;
  return `/usr/local/lib/python${major}.${minor}`;
}

/** Run a checked scenario. Throws ScenarioError when a `write` or `remove` step cannot be done. */
export async function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const profile =
    typeof options.profile === "object" ? options.profile : loadProfile(options.profile ?? DEFAULT_PROFILE);
  const world = await ScenarioWorld.create(scenario.files, options.root);
  const stdlibDir = stdlibDirFor(profile);
  const fs = options.wrapFileSystem ? options.wrapFileSystem(world.fs) : world.fs;
  const system = createImportSystem({
    fs,
    profile,
    stdlibDir,
    zip: { ...CPYTHON_ZIP_OPTIONS, ...options.zip },
    ...(options.executor ? { executor: options.executor } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  const rewriter = new PathRewriter(world.root, profile.hasStdlibDir ? stdlibDir : null);
  try {
    return await new ScenarioRun(scenario, world, system, stdlibDir, rewriter, options.observer).execute();
  } catch (error) {
    if (error instanceof UnsupportedBehaviour || error instanceof NotSupportedError) {
      // Written like every other string of a result, so it reads the same whatever the root.
      return { scenario: scenario.name, unsupported: rewriter.rewrite(error.message) };
    }
    throw error;
  }
}

/** A step raised something that is not a Python exception. */
class UnsupportedBehaviour extends Error {
  constructor(cause: unknown) {
    super(
      cause instanceof NotSupportedError
        ? cause.message
        : cause instanceof Error
          ? `${cause.name}: ${cause.message}`
          : String(cause),
      { cause },
    );
  }
}

class ScenarioRun {
  /** The oracle's main thread: every step runs as one task. */
  private readonly ctx: ImportContext;
  private readonly loaded: string[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly world: ScenarioWorld,
    private readonly system: ImportSystem,
    private readonly stdlibDir: string,
    private readonly rewriter: PathRewriter,
    private readonly observer: ScenarioObserver = {},
  ) {
    this.ctx = system.newContext();
  }

  async execute(): Promise<ScenarioResult> {
    const { system, scenario } = this;
    const main = await installStartSnapshot(system, this.stdlibDir, this.ctx);
    system.sys.dontWriteBytecode = scenario.settings?.dont_write_bytecode ?? true;
    this.setPath(scenario.path);
    system.pathImporterCache.clear();
    const start = new Set(system.modules.keys());
    const unsubscribe = system.events.on((event) => {
      if (event.type === "load") this.loaded.push(event.name);
    });
    this.observer.attach?.(system, (text) => this.rewriter.rewrite(text));
    const steps: StepResult[] = [];
    try {
      for (const [index, step] of scenario.steps.entries()) {
        this.observer.step?.(index, step);
        const result = await this.runStep(step, main);
        this.observer.stepDone?.(index, result);
        steps.push(result);
      }
    } finally {
      unsubscribe();
    }
    return { scenario: scenario.name, steps, modules: await this.newModules(start) };
  }

  private async runStep(step: ScenarioStep, main: Module): Promise<StepResult> {
    const before = new Set(this.system.modules.keys());
    this.loaded.length = 0;
    let error: ErrorDescription | null = null;
    // `write` and `remove` are the harness's own actions: they never report an error (a failure is a ScenarioError).
    if ("write" in step) await this.world.write(step.write);
    else if ("remove" in step) this.world.remove(step.remove);
    else {
      try {
        await this.perform(step, main);
      } catch (raised) {
        if (!(raised instanceof PyBaseException)) throw new UnsupportedBehaviour(raised);
        error = describeError(raised, this.rewriter);
      }
    }
    const after = new Set(this.system.modules.keys());
    return {
      ok: error === null,
      error,
      loaded: [...this.loaded],
      new_modules: sortedNames([...after].filter((name) => !before.has(name))),
      removed_modules: sortedNames([...before].filter((name) => !after.has(name))),
      namespace: describeNames(main.dict, this.rewriter),
    };
  }

  /** The steps that may raise into the scenario (the oracle's `perform`). */
  private async perform(
    step: Exclude<ScenarioStep, { write: unknown } | { remove: unknown }>,
    main: Module,
  ): Promise<void> {
    const { system } = this;
    if ("run" in step) {
      const code = system.executor.compile(step.run, RUN_FILENAME);
      await system.executor.exec(code, main, this.ctx);
    } else if ("invalidate_caches" in step) {
      system.invalidateCaches();
    } else if ("reload" in step) {
      // `importlib.reload(sys.modules[name])`
      const module = system.modules.get(step.reload);
      if (module === undefined) throw new KeyError(pyRepr(step.reload));
      if (module === null) throw new TypeError_("reload() argument must be a module");
      await system.reload(module, this.ctx);
    } else if ("forget" in step) {
      system.modules.delete(step.forget);
    } else {
      this.setPath(step.path);
    }
  }

  /** `sys.path[:] = entries`: in place, so whoever holds the list sees the change. */
  private setPath(entries: readonly string[]): void {
    const path = this.system.path;
    path.splice(0, path.length, ...entries.map((entry) => this.world.pathEntry(entry)));
  }

  /** Every module in `sys.modules` now that was not there at the start, by sorted name. */
  private async newModules(start: ReadonlySet<string>): Promise<Record<string, ModuleReport>> {
    const modules: Record<string, ModuleReport> = {};
    for (const name of sortedNames([...this.system.modules.keys()].filter((n) => !start.has(n)))) {
      const module = this.system.modules.get(name);
      if (!module)
        throw new NotSupportedError(
          `not supported yet: None in sys.modules['${name}'] at the end of a scenario`,
        );
      modules[name] = await describeModule(module, this.rewriter);
    }
    return modules;
  }
}
