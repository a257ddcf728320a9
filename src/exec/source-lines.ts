/** Offsets to 1-based line numbers, for error messages. */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let i = 0; i < source.length; i++) {
      const ch = source.charCodeAt(i);
      // "\r\n", "\r" and "\n" each end a line, as in CPython's tokenizer.
      if (ch === 0x0a || (ch === 0x0d && source.charCodeAt(i + 1) !== 0x0a)) this.starts.push(i + 1);
    }
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
