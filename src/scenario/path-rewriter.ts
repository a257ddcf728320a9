/**
 * The oracle's `norm`: every string in a result has the scenario root written away (`ROOT/` removed, `ROOT`
 * alone → "") and the standard library directory written `<stdlib>`, so results from different roots and
 * installations compare equal.
 */
export class PathRewriter {
  /** `stdlibDir` is null for versions without `sys._stdlib_dir` (before 3.11): nothing is rewritten then. */
  constructor(
    readonly root: string,
    readonly stdlibDir: string | null,
  ) {}

  rewrite(text: string): string {
    let out = text.replaceAll(`${this.root}/`, "").replaceAll(this.root, "");
    if (this.stdlibDir)
      out = out.replaceAll(`${this.stdlibDir}/`, "<stdlib>/").replaceAll(this.stdlibDir, "<stdlib>");
    return out;
  }

  /** A path, or null for anything that is not a string (the oracle's `_path_or_none`). */
  pathOrNull(value: unknown): string | null {
    return typeof value === "string" ? this.rewrite(value) : null;
  }
}
