/** The one error the ISL front end throws: a file position and a reason, as `calc.isl:4:12: reason`. */

export class IslSyntaxError extends Error {
  override readonly name = "IslSyntaxError";

  constructor(
    /** The input's path, as the generator was given it. */
    readonly path: string,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column, counted in Unicode code points (a tab is one column). */
    readonly column: number,
    /** The message without the position prefix. */
    readonly reason: string,
  ) {
    super(`${path}:${line}:${column}: ${reason}`);
  }
}

/** A place in the source: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}
