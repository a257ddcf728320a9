/** Scenarios (shared/scenarios/FORMAT.md): reading, running against importkit, and comparing with CPython. */
export type { ResultDifference } from "./compare.js";
export { diffResults, formatDifferences, sameJson } from "./compare.js";
export { changesFiles, finalWorld } from "./final-world.js";
export type {
  Base64Content,
  DirContent,
  FileContent,
  FileMap,
  Scenario,
  ScenarioSettings,
  ScenarioStep,
  TextContent,
  ZipContent,
} from "./format.js";
export { DEFAULT_MTIME } from "./format.js";
export { asFromPath, type FrozenScenarioRun, runScenarioFrozen, SCENARIO_SNAPSHOT } from "./frozen-run.js";
export { toJsonLine } from "./json-line.js";
export { loadScenarioFile, parseScenario, ScenarioError } from "./parse.js";
export { PathRewriter } from "./path-rewriter.js";
export type {
  CompletedScenarioResult,
  ErrorDescription,
  ModuleReport,
  ScenarioResult,
  StepResult,
  UnsupportedScenarioResult,
  ValueDescription,
} from "./result.js";
export { isUnsupported } from "./result.js";
export type { RunScenarioOptions, ScenarioObserver } from "./runner.js";
export { runScenario, stdlibDirFor } from "./runner.js";
export { DEFAULT_SCENARIO_ROOT, ScenarioWorld } from "./world.js";
