/**
 * Comparing a result with CPython's, field by field, with shared/oracle/compare.py's notion of equality:
 * numbers by value (1 == 1.0), booleans never equal to numbers, object key order ignored, list order not.
 */

/** One difference: where (as compare.py names it), and the two values (undefined: missing). */
export interface ResultDifference {
  readonly where: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

const STEP_FIELDS = ["ok", "error", "loaded", "new_modules", "removed_modules", "namespace"] as const;
const MODULE_FIELDS = [
  "file",
  "cached",
  "origin",
  "package",
  "path",
  "loader",
  "has_location",
  "attrs",
] as const;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** compare.py's `same`: JSON equality. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") return a === b;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return a === b;
}

/** compare.py's `diff_result`: every differing field of two results. */
export function diffResults(expected: unknown, actual: unknown): ResultDifference[] {
  const out: ResultDifference[] = [];
  const e = isObject(expected) ? expected : {};
  const a = isObject(actual) ? actual : {};
  if ("unsupported" in a) out.push({ where: "unsupported", expected: undefined, actual: a.unsupported });
  const eSteps = Array.isArray(e.steps) ? e.steps : [];
  const aSteps = Array.isArray(a.steps) ? a.steps : [];
  if (eSteps.length !== aSteps.length)
    out.push({ where: "steps (count)", expected: eSteps.length, actual: aSteps.length });
  for (let i = 0; i < Math.min(eSteps.length, aSteps.length); i++) diffStep(i, eSteps[i], aSteps[i], out);
  const eModules = isObject(e.modules) ? e.modules : {};
  const aModules = isObject(a.modules) ? a.modules : {};
  for (const name of [...new Set([...Object.keys(eModules), ...Object.keys(aModules)])].sort()) {
    if (!(name in eModules) || !(name in aModules)) {
      out.push({ where: `modules[${name}]`, expected: eModules[name], actual: aModules[name] });
    } else {
      diffModule(name, eModules[name], aModules[name], out);
    }
  }
  return out;
}

function field(object: unknown, key: string): unknown {
  return isObject(object) && key in object ? object[key] : undefined;
}

function diffStep(index: number, expected: unknown, actual: unknown, out: ResultDifference[]): void {
  for (const name of STEP_FIELDS) {
    const e = field(expected, name);
    const a = field(actual, name);
    const where = `step ${index} ${name}`;
    if ((name === "error" || name === "namespace") && isObject(e) && isObject(a)) diffKeys(e, a, where, out);
    else if (e === undefined || a === undefined || !sameJson(e, a))
      out.push({ where, expected: e, actual: a });
  }
}

function diffModule(name: string, expected: unknown, actual: unknown, out: ResultDifference[]): void {
  for (const key of MODULE_FIELDS) {
    const e = field(expected, key);
    const a = field(actual, key);
    const where = `modules[${name}].${key}`;
    if (key === "attrs" && isObject(e) && isObject(a)) diffKeys(e, a, where, out);
    else if (e === undefined || a === undefined || !sameJson(e, a))
      out.push({ where, expected: e, actual: a });
  }
}

/** One level deep: each key whose values differ. */
function diffKeys(expected: JsonObject, actual: JsonObject, where: string, out: ResultDifference[]): void {
  const keys = [...Object.keys(expected), ...Object.keys(actual).filter((k) => !(k in expected))];
  for (const key of keys) {
    const e = key in expected ? expected[key] : undefined;
    const a = key in actual ? actual[key] : undefined;
    if (e === undefined || a === undefined || !sameJson(e, a))
      out.push({ where: `${where}.${key}`, expected: e, actual: a });
  }
}

/** The differences as compare.py prints them. */
export function formatDifferences(differences: readonly ResultDifference[]): string {
  const show = (v: unknown) => (v === undefined ? "<missing>" : JSON.stringify(v));
  return differences
    .map((d) => `  ${d.where}\n    expected: ${show(d.expected)}\n    actual:   ${show(d.actual)}`)
    .join("\n");
}
