/** CPython 3.11's `keyword.kwlist`: the hard keywords (soft keywords such as `match` are ordinary names). */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for " +
    "from global if import in is lambda nonlocal not or pass raise return try while with yield"
  ).split(" "),
);
