/**
 * 3.11+'s `co_exceptiontable` (Objects/exception_handling_notes.txt): entries of varints in 6-bit groups,
 * 0x40 meaning "more follows" and 0x80 marking an entry's first byte. Positions count code units.
 */

export interface ExceptionTableEntry {
  /** Covered byte offsets: start <= offset < end. */
  readonly start: number;
  readonly end: number;
  /** Byte offset of the handler. */
  readonly target: number;
  /** Stack depth to unwind to before pushing the exception. */
  readonly depth: number;
  /** Push the raising instruction's offset first (for RERAISE to restore `f_lasti`). */
  readonly lasti: boolean;
}

export function parseExceptionTable(table: Uint8Array): ExceptionTableEntry[] {
  const entries: ExceptionTableEntry[] = [];
  let position = 0;
  const varint = (): number => {
    let byte = table[position++] as number;
    let value = byte & 63;
    while (byte & 64) {
      byte = table[position++] as number;
      value = value * 64 + (byte & 63);
    }
    return value;
  };
  while (position < table.length) {
    const start = varint() * 2;
    const end = start + varint() * 2;
    const target = varint() * 2;
    const depthAndLasti = varint();
    entries.push({ start, end, target, depth: depthAndLasti >> 1, lasti: (depthAndLasti & 1) === 1 });
  }
  return entries;
}

/** The handler covering the instruction at byte `offset` (CPython's `get_exception_handler`). */
export function handlerAt(
  entries: readonly ExceptionTableEntry[],
  offset: number,
): ExceptionTableEntry | null {
  for (const entry of entries) if (entry.start <= offset && offset < entry.end) return entry;
  return null;
}
