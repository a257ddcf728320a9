/**
 * Python's `sorted()` order for str: by code point. JS's `<` compares UTF-16 code units, which puts
 * astral characters before U+E000–U+FFFF; results must sort as the oracle does.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both are the same astral character: skip its low surrogate
  }
  return a.length - b.length;
}

/** `sorted(names)`. */
export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort(compareCodePoints);
}
