/** Values the snapshot leg edits by hand, and how its steps show them. */

/** Parsed JSON or decoded code edited by hand (an index, executor code), damaged on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: hand-edited data of a known shape, damaged on purpose
export type Loose = any;

/** A value as a step shows it: JSON, cut at 40 characters. */
export const show = (v: Loose): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…(${text.length})` : text;
};
