/**
 * The descriptive data both generated modules share: type uses as text, `TYPES` entries, `METHODS` dicts,
 * method signatures (ISL, for docstrings) and `def` lines. Every name here is its Python name
 * (python-names.ts); ISL spellings appear only in docstrings and in ids (`'Calc.Get-Value'`).
 */
import type { IslInterface, IslName, Method, TypeDefinition, TypeRef } from "./ast.js";
import { pythonName } from "./python-names.js";
import { type PyLiteral, pyDict } from "./python-text.js";

/** A type use as the generated data spells it: `'REAL'`, `'LONG INTEGER'`, or a declared type's Python name. */
export function typeText(ref: TypeRef): string {
  return ref.kind === "primitive" ? ref.name : pythonName(ref.name.text);
}

/** A type use as ISL spells it (for signatures). */
function islTypeText(ref: TypeRef): string {
  return ref.kind === "primitive" ? ref.name : ref.name.text;
}

/** `'Calc.Calculator'`: the interface-qualified ISL name of a declaration. */
export function qualifiedId(iface: IslInterface, name: IslName): string {
  return `${iface.name.text}.${name.text}`;
}

/** The value of a `TYPES` entry: a tag and what the type is made of. */
export function typeEntry(definition: TypeDefinition): PyLiteral {
  switch (definition.kind) {
    case "alias":
      return ["ALIAS", typeText(definition.type)];
    case "sequence":
      return ["SEQUENCE", typeText(definition.element)];
    case "enumeration":
      return ["ENUMERATION", definition.values.map((v) => pythonName(v.text))];
    case "record":
      return ["RECORD", definition.fields.map((f) => [pythonName(f.name.text), typeText(f.type)])];
    case "object":
      return ["OBJECT", definition.methods.map((m) => pythonName(m.name.text))];
  }
}

/** `(params, result, raises, asynchronous)`; params are `(name, mode, type)`. */
function methodEntry(method: Method): PyLiteral {
  return [
    method.parameters.map((p) => [pythonName(p.name.text), p.mode, typeText(p.type)]),
    method.result === null ? null : typeText(method.result),
    method.raises.map((e) => pythonName(e.text)),
    method.asynchronous,
  ];
}

/** The `METHODS = {...}` dict literal of an object type, for a class body. */
export function methodsDict(methods: readonly Method[]): string {
  return pyDict(
    methods.map((m) => [pythonName(m.name.text), methodEntry(m)] as const),
    "    ",
  );
}

/** The method as ISL writes it: `Divide (v : REAL) : REAL RAISES DivideByZero END`. */
export function signature(method: Method): string {
  const params = method.parameters
    .map((p) => `${p.mode === "IN" ? "" : `${p.mode} `}${p.name.text} : ${islTypeText(p.type)}`)
    .join(", ");
  let text = `${method.asynchronous ? "ASYNCHRONOUS " : ""}${method.name.text} (${params})`;
  if (method.result !== null) text += ` : ${islTypeText(method.result)}`;
  if (method.raises.length > 0) text += ` RAISES ${method.raises.map((e) => e.text).join(", ")} END`;
  return text;
}

/** `def Name(self, a, b):` — the IN and INOUT parameters (OUT values are results, not arguments). */
export function defLine(method: Method): string {
  const args = method.parameters.filter((p) => p.mode !== "OUT").map((p) => pythonName(p.name.text));
  return `def ${pythonName(method.name.text)}(${["self", ...args].join(", ")}):`;
}
