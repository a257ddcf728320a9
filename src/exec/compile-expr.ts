/** Lezer expression nodes → our Expr, refusing whatever the scenario subset does not hold. */
import type { SyntaxNode } from "@lezer/common";
import { PyBytes } from "../core/values.js";
import type { Expr, UnaryOp } from "./ast.js";
import { Ellipsis } from "./builtins.js";
import { type CompileContext, childrenOf } from "./compile-context.js";
import { decodeNumber, decodeStringLiteral, LiteralNotSupported, LiteralSyntaxError } from "./literals.js";

const punctuation = new Set(["(", ")", "[", "]", "{", "}", ","]);

/** Decode a literal token, turning literal errors into located SyntaxError / NotSupportedError. */
function decodeAt<T>(ctx: CompileContext, node: SyntaxNode, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof LiteralSyntaxError) throw ctx.syntaxError(error.message, node);
    if (error instanceof LiteralNotSupported) throw ctx.notSupported(error.construct, node);
    throw error;
  }
}

/** One string/bytes literal or an implicit concatenation of several. */
function compileStrings(ctx: CompileContext, node: SyntaxNode, parts: readonly SyntaxNode[]): Expr {
  const line = ctx.line(node);
  const decoded = parts.map((part) => {
    if (part.name !== "String") throw ctx.notSupported("f-string", part);
    return decodeAt(ctx, part, () => decodeStringLiteral(ctx.text(part)));
  });
  const kinds = new Set(decoded.map((d) => d.kind));
  if (kinds.size > 1) throw ctx.syntaxError("cannot mix bytes and nonbytes literals", node);
  if (kinds.has("bytes")) {
    const chunks = decoded.map((d) => d.value as Uint8Array);
    const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    return { kind: "constant", line, value: new PyBytes(data) };
  }
  return { kind: "constant", line, value: decoded.map((d) => d.value as string).join("") };
}

/** The elements of a display (`[a, b]`, `(a,)`, `{a}`), refusing `*x`. */
export function compileElements(ctx: CompileContext, nodes: readonly SyntaxNode[]): Expr[] {
  const elements: Expr[] = [];
  for (const child of nodes) {
    if (punctuation.has(child.name)) continue;
    if (child.name === "*") throw ctx.notSupported("starred expression", child);
    elements.push(compileExpr(ctx, child));
  }
  return elements;
}

function compileDict(ctx: CompileContext, node: SyntaxNode): Expr {
  const entries: [Expr, Expr][] = [];
  let pendingKey: Expr | null = null;
  for (const child of childrenOf(node)) {
    if (punctuation.has(child.name) || child.name === ":") continue;
    if (child.name === "**") throw ctx.notSupported("dict unpacking", child);
    const expr = compileExpr(ctx, child);
    if (pendingKey === null) pendingKey = expr;
    else {
      entries.push([pendingKey, expr]);
      pendingKey = null;
    }
  }
  if (pendingKey !== null) throw ctx.syntaxError("invalid syntax", node);
  return { kind: "dict", line: ctx.line(node), entries };
}

function compileUnary(ctx: CompileContext, node: SyntaxNode): Expr {
  const [operator, operand] = childrenOf(node);
  const op = operator === undefined ? "" : ctx.text(operator);
  if (operand === undefined || (op !== "-" && op !== "+" && op !== "~")) {
    throw ctx.notSupported(op === "not" ? "not expression" : "unary expression", node);
  }
  return { kind: "unary", line: ctx.line(node), op: op as UnaryOp, operand: compileExpr(ctx, operand) };
}

function compileMember(ctx: CompileContext, node: SyntaxNode): Expr {
  const [object, dot, property, ...rest] = childrenOf(node);
  if (object === undefined || dot?.name !== "." || property?.name !== "PropertyName" || rest.length > 0) {
    throw ctx.notSupported("subscript", node);
  }
  return {
    kind: "attribute",
    line: ctx.line(node),
    object: compileExpr(ctx, object),
    attr: ctx.text(property),
  };
}

/** Compile one expression node. */
export function compileExpr(ctx: CompileContext, node: SyntaxNode): Expr {
  const line = ctx.line(node);
  switch (node.name) {
    case "Number":
      return { kind: "constant", line, value: decodeAt(ctx, node, () => decodeNumber(ctx.text(node))) };
    case "String":
    case "FormatString":
      return compileStrings(ctx, node, [node]);
    case "ContinuedString":
      return compileStrings(ctx, node, childrenOf(node));
    case "Boolean":
      return { kind: "constant", line, value: ctx.text(node) === "True" };
    case "None":
      return { kind: "constant", line, value: null };
    case "Ellipsis":
      return { kind: "constant", line, value: Ellipsis };
    case "VariableName":
      return { kind: "name", line, id: ctx.text(node) };
    case "MemberExpression":
      return compileMember(ctx, node);
    case "UnaryExpression":
      return compileUnary(ctx, node);
    case "ParenthesizedExpression": {
      const inner = childrenOf(node).filter((c) => !punctuation.has(c.name));
      if (inner.length !== 1) throw ctx.syntaxError("invalid syntax", node);
      return compileExpr(ctx, inner[0] as SyntaxNode);
    }
    case "TupleExpression":
      return { kind: "tuple", line, elements: compileElements(ctx, childrenOf(node)) };
    case "ArrayExpression":
      return { kind: "list", line, elements: compileElements(ctx, childrenOf(node)) };
    case "SetExpression":
      return { kind: "set", line, elements: compileElements(ctx, childrenOf(node)) };
    case "DictionaryExpression":
      return compileDict(ctx, node);
    default:
      throw ctx.unsupportedNode(node);
  }
}

/**
 * An expression list as statements hold it (`X = 1, 2`, `1,`): one expression, or a tuple when a comma
 * is present.
 */
export function compileExprList(ctx: CompileContext, nodes: readonly SyntaxNode[], at: SyntaxNode): Expr {
  const first = nodes[0];
  if (first === undefined) throw ctx.syntaxError("invalid syntax", at);
  if (nodes.length === 1) return compileExpr(ctx, first);
  return { kind: "tuple", line: ctx.line(first), elements: compileElements(ctx, nodes) };
}
