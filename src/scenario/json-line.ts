/**
 * One result as one line of JSON, as the oracle prints it with Python's json module: non-finite floats are
 * written `NaN` / `Infinity` / `-Infinity` (JSON.stringify would turn them into `null`, another value).
 */
export function toJsonLine(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(write).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${write(v)}`);
    return `{${fields.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
