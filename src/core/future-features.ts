/** `__future__.all_feature_names`: the same list in every supported profile (3.8–3.14). */
export const FUTURE_FEATURE_NAMES = [
  "nested_scopes",
  "generators",
  "division",
  "absolute_import",
  "with_statement",
  "print_function",
  "unicode_literals",
  "barry_as_FLUFL",
  "generator_stop",
  "annotations",
] as const;
