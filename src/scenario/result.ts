/** A scenario's result as the shared format describes it (FORMAT.md, "Result"): what the oracle prints too. */

/** How a Python value is written in a result (FORMAT.md, "Value descriptions"). */
export type ValueDescription =
  | { readonly value: number | string | boolean | null }
  | { readonly bytes: string }
  | { readonly list: readonly ValueDescription[] }
  | { readonly tuple: readonly ValueDescription[] }
  | { readonly set: readonly ValueDescription[] }
  | { readonly dict: readonly (readonly [ValueDescription, ValueDescription])[] }
  | { readonly module: string }
  | { readonly function: string }
  | { readonly class: string }
  | { readonly type: string };

/** An exception a step raised; `name` and `path` are ImportError's attributes (null for other types). */
export interface ErrorDescription {
  readonly type: string;
  readonly message: string;
  readonly name: string | null;
  readonly path: string | null;
}

export interface StepResult {
  readonly ok: boolean;
  readonly error: ErrorDescription | null;
  /** Modules whose loading began during the step, in order (reloads and failed loads included). */
  readonly loaded: readonly string[];
  readonly new_modules: readonly string[];
  readonly removed_modules: readonly string[];
  /** Every non-dunder name bound in `__main__` after the step. */
  readonly namespace: Readonly<Record<string, ValueDescription>>;
}

export interface ModuleReport {
  readonly file: string | null;
  readonly cached: string | null;
  readonly origin: string | null;
  readonly package: string | null;
  readonly path: readonly string[] | null;
  readonly loader: string | null;
  readonly has_location: boolean | null;
  readonly attrs: Readonly<Record<string, ValueDescription>>;
}

export interface CompletedScenarioResult {
  readonly scenario: string;
  readonly steps: readonly StepResult[];
  /** Every module in `sys.modules` at the end that was not there at the start. */
  readonly modules: Readonly<Record<string, ModuleReport>>;
}

/**
 * The scenario met behaviour importkit does not model: reported instead of a half result that could pass for
 * CPython's answer.
 */
export interface UnsupportedScenarioResult {
  readonly scenario: string;
  readonly unsupported: string;
}

export type ScenarioResult = CompletedScenarioResult | UnsupportedScenarioResult;

export function isUnsupported(result: ScenarioResult): result is UnsupportedScenarioResult {
  return "unsupported" in result;
}
