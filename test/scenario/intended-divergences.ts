/**
 * Where importkit answers differently from CPython on purpose, and exactly where that may show. A scenario
 * listed here must differ from CPython's answer (the divergence is the behaviour under test) and only in
 * the steps and modules named.
 */
import type { ResultDifference } from "../../src/scenario/compare.js";

export interface Divergence {
  readonly why: string;
  /** The profiles it applies to (default: all). */
  readonly profiles?: readonly string[];
  /** 1-based step numbers whose fields may differ. */
  readonly steps: readonly number[];
  /** Modules whose final description may differ (or be missing). */
  readonly modules: readonly string[];
}

const DIVERGENCES: Readonly<Record<string, Divergence>> = {
  zip_extra_hostile_names: {
    why:
      "an archive member is never resolved through a '..' component (issue #5): CPython imports " +
      "../evil.py via the path entry bundle.zip/.. and sub/../esc.py via bundle.zip/sub/..",
    steps: [6, 7, 8],
    modules: ["esc", "evil"],
  },
  zip_extra_rewrite_archive: {
    why: "the scenario executor words an unterminated string as CPython 3.10+ does, not 3.8/3.9's 'EOL while scanning string literal'",
    profiles: ["cpython-3.8", "cpython-3.9"],
    steps: [3, 9],
    modules: [],
  },
};

/** The divergence expected for `name` under `profile`, if any. */
export function intendedDivergence(name: string, profile: string): Divergence | null {
  const divergence = DIVERGENCES[name];
  if (divergence === undefined) return null;
  if (divergence.profiles !== undefined && !divergence.profiles.includes(profile)) return null;
  return divergence;
}

/** The differences that fall outside what `divergence` allows. */
export function unexpectedDifferences(
  differences: readonly ResultDifference[],
  divergence: Divergence,
): ResultDifference[] {
  return differences.filter((d) => {
    const step = /^step (\d+) /.exec(d.where);
    if (step !== null) return !divergence.steps.includes(Number(step[1]));
    const module = /^modules\[(.*)\]$/.exec(d.where);
    if (module !== null) return !divergence.modules.includes(module[1]!);
    return true;
  });
}
