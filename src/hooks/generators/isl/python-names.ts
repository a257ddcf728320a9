/**
 * ISL names as Python names: hyphens become underscores (`Get-Value` → `Get_Value`), and a name that is a
 * Python keyword, or one of the names the generated modules use for themselves, gets a trailing underscore
 * (`class` → `class_`, `METHODS` → `METHODS_`, `self` → `self_`). ISL names contain no underscores and never
 * end with a hyphen, so the mapping is one-to-one and a mangled name never meets an unmangled one.
 */
import { PYTHON_KEYWORDS } from "../../../bytecode/python-keywords.js";

export { PYTHON_KEYWORDS };

/** Names the generated modules and classes define themselves (and `self`, every method's first parameter). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "INTERFACE",
  "SOURCE",
  "TYPES",
  "EXCEPTIONS",
  "CONSTANTS",
  "CLIENT_MODULE",
  "TYPE_ID",
  "METHODS",
  "CLIENT",
  "EXCEPTION_ID",
  "VALUE_TYPE",
  "self",
]);

/** The Python spelling of an ISL name. */
export function pythonName(islName: string): string {
  const name = islName.replaceAll("-", "_");
  return PYTHON_KEYWORDS.has(name) || RESERVED_NAMES.has(name) ? `${name}_` : name;
}

/** Whether `name` can be bound by `import name` (an ASCII identifier, not a keyword). */
export function isImportableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}
