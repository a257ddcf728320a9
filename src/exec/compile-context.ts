/**
 * What every part of the compiler needs: the source text, node helpers, and the two ways to fail
 * (a Python SyntaxError, or NotSupportedError for valid Python outside the scenario subset).
 */
import type { SyntaxNode } from "@lezer/common";
import { type NotSupportedError, type PyBaseException, SyntaxError_ } from "../core/errors.js";
import { builtinExceptionClasses } from "./exception-types.js";
import type { IndentProblem } from "./indentation.js";
import { notSupported } from "./not-supported.js";
import { SourceLines } from "./source-lines.js";

/** Node names for the NotSupported message where "CamelCase → camel case" would read badly. */
const constructNames: Readonly<Record<string, string>> = {
  UpdateStatement: "augmented assignment",
  ScopeStatement: "global/nonlocal statement",
  DecoratedStatement: "decorator",
  TypeDefinition: "type alias statement",
  MemberExpression: "subscript",
  ArrayExpression: "list display",
  ArrayComprehensionExpression: "list comprehension",
  DictionaryComprehensionExpression: "dict comprehension",
  SetComprehensionExpression: "set comprehension",
  ComprehensionExpression: "generator expression",
  NamedExpression: "assignment expression",
};

export function describeConstruct(nodeName: string): string {
  return constructNames[nodeName] ?? nodeName.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

export class CompileContext {
  private readonly lines: SourceLines;
  private readonly basename: string;

  constructor(
    readonly source: string,
    readonly filename: string,
  ) {
    this.lines = new SourceLines(source);
    this.basename = filename.split(/[\\/]/).pop() ?? filename;
  }

  text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  line(node: SyntaxNode | number): number {
    return this.lines.lineOf(typeof node === "number" ? node : node.from);
  }

  location(node: SyntaxNode | number): string {
    return `${this.filename}:${this.line(node)}`;
  }

  /** A SyntaxError whose `str()` is CPython's: `msg (basename, line N)`. */
  syntaxError(message: string, at: SyntaxNode | number): SyntaxError_ {
    return this.syntaxErrorOnLine(message, this.line(at));
  }

  syntaxErrorOnLine(message: string, line: number): SyntaxError_ {
    return new SyntaxError_(`${message} (${this.basename}, line ${line})`);
  }

  /** IndentationError, or TabError for inconsistent tabs and spaces. */
  indentationError(
    problem: IndentProblem | "expected an indented block",
    at: SyntaxNode | number,
  ): PyBaseException {
    const type =
      builtinExceptionClasses.get(problem === "tab" ? "TabError" : "IndentationError")?.errorType ??
      SyntaxError_;
    const message = problem === "tab" ? "inconsistent use of tabs and spaces in indentation" : problem;
    return new type(`${message} (${this.basename}, line ${this.line(at)})`);
  }

  /** CPython refuses to bind `__debug__` anywhere. */
  checkBindable(name: string, at: SyntaxNode): string {
    if (name === "__debug__") throw this.syntaxError("cannot assign to __debug__", at);
    return name;
  }

  notSupported(construct: string, at: SyntaxNode | number): NotSupportedError {
    return notSupported(construct, this.location(at));
  }

  /** Refuse `node` by what it is. */
  unsupportedNode(node: SyntaxNode): NotSupportedError {
    return this.notSupported(describeConstruct(node.name), node);
  }
}

/** A node's children, comments left out (they may sit between any two tokens). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.name !== "Comment") out.push(child);
  }
  return out;
}
