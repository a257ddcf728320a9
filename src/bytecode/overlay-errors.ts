/** Typed failures of the overlay format layer (issue #4). */

/** An `overlay` statement the compiler rejects. The message ends with ` at FILE:LINE`. */
export class OverlaySyntaxError extends Error {
  override readonly name = "OverlaySyntaxError";
  constructor(
    readonly filename: string,
    /** 1-based line of the offending `overlay` statement. */
    readonly line: number,
    /** The message without the location, e.g. `invalid overlay name`. */
    readonly reason: string,
  ) {
    super(`${reason} at ${filename}:${line}`);
  }
}

/**
 * An overlay file (or the parts given to the writer) that is malformed: every hostile input ends in this
 * class, never in a JS RangeError.
 */
export class OverlayFormatError extends Error {
  override readonly name = "OverlayFormatError";
  constructor(
    readonly filename: string | undefined,
    /** Absolute byte offset in the file where the problem was found. */
    readonly offset: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${filename === undefined ? "" : `${filename}: `}${reason} (at offset ${offset})`, options);
  }
}
