/**
 * ISL meaning: every name resolves (types may be used before they are declared), nothing is declared twice,
 * aliases and records do not contain themselves, constants fit their types, and asynchronous methods only
 * take IN parameters and return and raise nothing. All problems are collected and the first in the file is
 * thrown. Linear in the size of the interface: alias chains are resolved once, cycles found by one
 * iterative depth-first walk.
 */
import type {
  ConstantDeclaration,
  ConstantValue,
  Declaration,
  IslInterface,
  IslName,
  PrimitiveType,
  TypeDeclaration,
  TypeRef,
} from "./ast.js";
import { IslSyntaxError, type Position } from "./errors.js";

/** What a type use stands for once aliases are followed. */
type ResolvedType =
  | { readonly kind: "primitive"; readonly name: PrimitiveType }
  | { readonly kind: "declared"; readonly declaration: TypeDeclaration };

interface Problem extends Position {
  readonly reason: string;
}

const INTEGER_RANGES: Readonly<Partial<Record<PrimitiveType, readonly [bigint, bigint]>>> = {
  "SHORT INTEGER": [-(2n ** 15n), 2n ** 15n - 1n],
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  "LONG INTEGER": [-(2n ** 63n), 2n ** 63n - 1n],
  "SHORT CARDINAL": [0n, 2n ** 16n - 1n],
  CARDINAL: [0n, 2n ** 32n - 1n],
  "LONG CARDINAL": [0n, 2n ** 64n - 1n],
  BYTE: [0n, 255n],
};

const FLOAT32_MAX = 3.4028234663852886e38;

const KIND_WORDS: Readonly<Record<string, string>> = {
  alias: "an alias",
  sequence: "a sequence",
  enumeration: "an enumeration",
  record: "a record",
  object: "an object type",
  exception: "an exception",
  constant: "a constant",
};

const at = (p: Position) => `line ${p.line}, column ${p.column}`;

const refPosition = (ref: TypeRef): Position => (ref.kind === "named" ? ref.name : ref);

class Checker {
  private readonly problems: Problem[] = [];
  private readonly declared = new Map<string, Declaration>();
  /** Alias resolution by type name; null where the chain is broken (unknown name or cycle). */
  private readonly resolved = new Map<string, ResolvedType | null>();

  constructor(private readonly iface: IslInterface) {}

  private report(where: Position, reason: string): void {
    this.problems.push({ line: where.line, column: where.column, reason });
  }

  run(): { problems: readonly Problem[]; checked: IslInterface } {
    for (const declaration of this.iface.declarations) {
      const first = this.declared.get(declaration.name.text);
      if (first === undefined) this.declared.set(declaration.name.text, declaration);
      else
        this.report(
          declaration.name,
          `duplicate declaration of '${declaration.name.text}' (first at ${at(first.name)})`,
        );
    }
    this.resolveAliases();
    const declarations: Declaration[] = [];
    for (const declaration of this.iface.declarations) {
      switch (declaration.kind) {
        case "type":
          this.checkType(declaration);
          declarations.push(declaration);
          break;
        case "exception":
          if (declaration.valueType !== null) this.checkRef(declaration.valueType);
          declarations.push(declaration);
          break;
        case "constant":
          declarations.push(this.checkConstant(declaration));
          break;
      }
    }
    this.checkRecordCycles();
    return { problems: this.problems, checked: { name: this.iface.name, declarations } };
  }

  /** The declaration a type name stands for, reporting unknown names and non-types. */
  private typeDeclaration(name: IslName, report: boolean): TypeDeclaration | undefined {
    const declaration = this.declared.get(name.text);
    if (declaration === undefined) {
      if (report) this.report(name, `unknown type '${name.text}'`);
      return undefined;
    }
    if (declaration.kind !== "type") {
      if (report) this.report(name, `'${name.text}' is ${KIND_WORDS[declaration.kind]}, not a type`);
      return undefined;
    }
    return declaration;
  }

  /** Check one type use. */
  private checkRef(ref: TypeRef): void {
    if (ref.kind === "named") this.typeDeclaration(ref.name, true);
  }

  /** Follow every alias chain once; report each alias cycle once, at its first declaration in the file. */
  private resolveAliases(): void {
    for (const declaration of this.iface.declarations) {
      if (declaration.kind !== "type" || this.resolved.has(declaration.name.text)) continue;
      const chain: TypeDeclaration[] = [];
      const onChain = new Set<string>();
      let current: TypeDeclaration = declaration;
      let result: ResolvedType | null;
      for (;;) {
        if (this.declared.get(current.name.text) !== current) {
          result = null; // a duplicate declaration: resolved through the first one
          break;
        }
        const known = this.resolved.get(current.name.text);
        if (known !== undefined) {
          result = known;
          break;
        }
        if (onChain.has(current.name.text)) {
          const start = chain.findIndex((d) => d.name.text === current.name.text);
          const cycle = chain.slice(start);
          const names = shortPath(
            [...cycle, cycle[0]!].map((d) => d.name.text),
            " = ",
          );
          const first = cycle.reduce((a, b) => (before(b.name, a.name) ? b : a));
          this.report(first.name, `type '${first.name.text}' is defined as itself (${names})`);
          result = null;
          break;
        }
        chain.push(current);
        onChain.add(current.name.text);
        const definition = current.definition;
        if (definition.kind !== "alias") {
          result = { kind: "declared", declaration: current };
          break;
        }
        const target = definition.type;
        if (target.kind === "primitive") {
          result = { kind: "primitive", name: target.name };
          break;
        }
        const next = this.typeDeclaration(target.name, false);
        if (next === undefined) {
          result = null; // reported where the use is checked
          break;
        }
        current = next;
      }
      for (const d of chain) this.resolved.set(d.name.text, result);
    }
  }

  /** A type use with aliases followed; undefined when it does not resolve (already reported elsewhere). */
  private resolve(ref: TypeRef): ResolvedType | undefined {
    if (ref.kind === "primitive") return { kind: "primitive", name: ref.name };
    const declaration = this.typeDeclaration(ref.name, false);
    if (declaration === undefined) return undefined;
    return this.resolved.get(declaration.name.text) ?? undefined;
  }

  private duplicates(names: readonly IslName[], what: string, owner: string): void {
    const seen = new Map<string, IslName>();
    for (const name of names) {
      const first = seen.get(name.text);
      if (first === undefined) seen.set(name.text, name);
      else this.report(name, `duplicate ${what} '${name.text}' in ${owner} (first at ${at(first)})`);
    }
  }

  private checkType(declaration: TypeDeclaration): void {
    const definition = declaration.definition;
    const owner = `'${declaration.name.text}'`;
    switch (definition.kind) {
      case "alias":
        this.checkRef(definition.type);
        return;
      case "sequence":
        this.checkRef(definition.element);
        return;
      case "enumeration":
        this.duplicates(definition.values, "value", `enumeration ${owner}`);
        return;
      case "record":
        this.duplicates(
          definition.fields.map((f) => f.name),
          "field",
          `record ${owner}`,
        );
        for (const field of definition.fields) this.checkRef(field.type);
        return;
      case "object":
        this.duplicates(
          definition.methods.map((m) => m.name),
          "method",
          `object type ${owner}`,
        );
        for (const method of definition.methods) {
          const where = `method '${method.name.text}'`;
          this.duplicates(
            method.parameters.map((p) => p.name),
            "parameter",
            where,
          );
          this.duplicates(method.raises, "exception", `the RAISES list of ${where}`);
          for (const parameter of method.parameters) {
            this.checkRef(parameter.type);
            if (method.asynchronous && parameter.mode !== "IN") {
              this.report(
                parameter.name,
                `asynchronous ${where} cannot have ${parameter.mode} parameter '${parameter.name.text}'`,
              );
            }
          }
          if (method.result !== null) {
            this.checkRef(method.result);
            if (method.asynchronous) {
              this.report(refPosition(method.result), `asynchronous ${where} cannot return a result`);
            }
          }
          for (const exception of method.raises) {
            const target = this.declared.get(exception.text);
            if (target === undefined) this.report(exception, `unknown exception '${exception.text}'`);
            else if (target.kind !== "exception") {
              const kind = target.kind === "type" ? "a type" : KIND_WORDS[target.kind];
              this.report(exception, `'${exception.text}' is ${kind}, not an exception`);
            }
          }
          if (method.asynchronous && method.raises.length > 0) {
            this.report(method.raises[0]!, `asynchronous ${where} cannot raise exceptions`);
          }
        }
        return;
    }
  }

  /** Check a constant's type and value; a REAL constant written as an integer becomes a real. */
  private checkConstant(declaration: ConstantDeclaration): ConstantDeclaration {
    this.checkRef(declaration.type);
    const resolved = this.resolve(declaration.type);
    if (resolved === undefined) return declaration;
    const name = `constant '${declaration.name.text}'`;
    if (resolved.kind === "declared") {
      const kind = KIND_WORDS[resolved.declaration.definition.kind];
      this.report(
        refPosition(declaration.type),
        `${name} must have a primitive type ('${resolved.declaration.name.text}' is ${kind})`,
      );
      return declaration;
    }
    const type = resolved.name;
    const value = declaration.value;
    const wrong = (expected: string) =>
      this.report(value, `${name} of type ${type} needs ${expected}, got ${describeValue(value)}`);
    const range = INTEGER_RANGES[type];
    if (range !== undefined) {
      if (value.kind !== "integer") wrong("an integer");
      else if (value.value < range[0] || value.value > range[1]) {
        this.report(
          value,
          `${name}: ${value.value} is out of range for ${type} (${range[0]} to ${range[1]})`,
        );
      }
      return declaration;
    }
    if (type === "REAL" || type === "LONG REAL" || type === "SHORT REAL") {
      if (value.kind !== "integer" && value.kind !== "real") {
        wrong("a number");
        return declaration;
      }
      const real = Number(value.value);
      const limit = type === "SHORT REAL" ? FLOAT32_MAX : Number.MAX_VALUE;
      if (!(Math.abs(real) <= limit)) {
        this.report(value, `${name}: the value is out of range for ${type}`);
        return declaration;
      }
      const normalized: ConstantValue = { kind: "real", value: real, line: value.line, column: value.column };
      return { ...declaration, value: normalized };
    }
    if (type === "BOOLEAN" && value.kind !== "boolean") wrong("TRUE or FALSE");
    if (type === "STRING" && value.kind !== "string") wrong("a string");
    return declaration;
  }

  /** A record that holds itself (directly, or through other records and aliases) would be infinite. */
  private checkRecordCycles(): void {
    const edges = new Map<string, { target: TypeDeclaration; via: IslName }[]>();
    const records: TypeDeclaration[] = [];
    for (const declaration of this.iface.declarations) {
      if (declaration.kind !== "type" || declaration.definition.kind !== "record") continue;
      if (this.declared.get(declaration.name.text) !== declaration) continue;
      records.push(declaration);
      const out: { target: TypeDeclaration; via: IslName }[] = [];
      for (const field of declaration.definition.fields) {
        const resolved = this.resolve(field.type);
        if (resolved?.kind === "declared" && resolved.declaration.definition.kind === "record") {
          out.push({ target: resolved.declaration, via: field.name });
        }
      }
      edges.set(declaration.name.text, out);
    }
    /** Stack index of the records on the current path; -1 once finished. */
    const state = new Map<string, number>();
    for (const root of records) {
      if (state.has(root.name.text)) continue;
      const stack: { record: TypeDeclaration; next: number; via: IslName | null }[] = [
        { record: root, next: 0, via: null },
      ];
      state.set(root.name.text, 0);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const out = edges.get(top.record.name.text)!;
        if (top.next >= out.length) {
          state.set(top.record.name.text, -1);
          stack.pop();
          continue;
        }
        const edge = out[top.next++]!;
        const seen = state.get(edge.target.name.text);
        if (seen === undefined) {
          state.set(edge.target.name.text, stack.length);
          stack.push({ record: edge.target, next: 0, via: edge.via });
        } else if (seen >= 0) {
          // A cycle: the stack from `seen` to the top, closed by this edge (its text is kept short).
          const steps: string[] = [];
          const length = stack.length - seen;
          for (let i = 0; i < length; i++) {
            if (steps.length === 6 && length > 7) {
              steps.push("...");
              i = length - 1;
            }
            const via = i + 1 < length ? stack[seen + i + 1]!.via! : edge.via;
            steps.push(`${stack[seen + i]!.record.name.text}.${via.text}`);
          }
          this.report(
            edge.target.name,
            `record '${edge.target.name.text}' contains itself (${steps.join(" -> ")} -> ${edge.target.name.text})`,
          );
        }
      }
    }
  }
}

/** `items` joined by `separator`, the middle elided when long. */
function shortPath(items: readonly string[], separator: string): string {
  const shown = items.length > 8 ? [...items.slice(0, 6), "...", items[items.length - 1]!] : items;
  return shown.join(separator);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function describeValue(value: ConstantValue): string {
  switch (value.kind) {
    case "integer":
      return `the integer ${value.value}`;
    case "real":
      return "a real number";
    case "boolean":
      return value.value ? "TRUE" : "FALSE";
    case "string":
      return "a string";
  }
}

/**
 * Check an interface (from parseTokens); returns it with REAL constants' values as reals, or throws the
 * first problem in the file as an IslSyntaxError.
 */
export function checkInterface(iface: IslInterface, path: string): IslInterface {
  const { problems, checked } = new Checker(iface).run();
  if (problems.length > 0) {
    const first = problems.reduce((a, b) => (before(b, a) ? b : a));
    throw new IslSyntaxError(path, first.line, first.column, first.reason);
  }
  return checked;
}
