/**
 * Source → our AST, once per module (the AST is the CompiledCode). Syntax errors become Python's
 * SyntaxError; valid Python outside the scenario subset becomes NotSupportedError at compile time, so no
 * construct is ever silently skipped at run time.
 */
import type { SyntaxNode } from "@lezer/common";
import type { PyBaseException } from "../core/errors.js";
import { SyntaxError_ } from "../core/errors.js";
import type { CompiledCode } from "../core/interfaces.js";
import type { ExceptHandler, Expr, RaiseOperand, Stmt } from "./ast.js";
import { CompileContext, childrenOf } from "./compile-context.js";
import { compileExpr, compileExprList } from "./compile-expr.js";
import { compileImport, isFutureImport } from "./compile-import.js";
import { compareIndent, type Indent, type IndentProblem, indentAt } from "./indentation.js";
import { pythonParser, strictPythonParser } from "./python-parse.js";

/** A compiled module body. */
export class ScenarioCode implements CompiledCode {
  constructor(
    readonly filename: string,
    readonly body: readonly Stmt[],
  ) {}
}

type Scope = "module" | "class" | "function";

/** Where a block of statements sits. */
interface BlockContext {
  readonly scope: Scope;
  /** The block is a module or class body (its first string statement is a docstring stored as `__doc__`). */
  readonly isBody: boolean;
  /** Directly the module's top level (the only place `from __future__` may appear). */
  readonly topLevel: boolean;
  /** Indentation of the statement owning this block (for the module: column 0, as its own). */
  readonly header: Indent;
}

const moduleIndent: Indent = { column: 0, alt: 0 };

// Strict: the first error throws instead of being recovered from (recovery through kilobytes of junk takes
// lezer seconds); the recovering parser then reads only the text up to the failing line, for the message.
/** The parse tree: whole when the text parses, else of the text up to (about) the end of the line that fails. */
function parseForErrors(source: string): ReturnType<typeof pythonParser.parse> {
  try {
    return strictPythonParser.parse(source);
  } catch (error) {
    const at = /No parse at (\d+)/.exec((error as Error).message);
    if (at === null) throw error;
    const failsAt = Number(at[1]);
    const lineEnd = source.indexOf("\n", failsAt);
    // A long line is cut a little past the failure: enough for the error node, bounded recovery work.
    const end = Math.min(lineEnd < 0 ? source.length : lineEnd + 1, failsAt + 256);
    return pythonParser.parse(source.slice(0, end));
  }
}

export function compileScenario(source: string, filename: string): ScenarioCode {
  const ctx = new CompileContext(source, filename);
  // compile() refuses NUL before tokenizing (CPython 3.11.4+ and 3.12+: SyntaxError; ValueError before).
  if (source.includes("\0")) throw new SyntaxError_("source code string cannot contain null bytes");
  const tree = parseForErrors(source);
  let error: SyntaxNode | null = null;
  tree.iterate({
    enter(node) {
      if (error !== null) return false;
      if (node.type.isError) error = node.node;
      return undefined;
    },
  });
  if (error !== null) {
    const unterminated = unterminatedString(ctx, error);
    if (unterminated !== null) throw unterminated;
    // Lezer misparses some valid Python outside the subset (`lambda a, /: 0`, `case str():`): say so.
    const unsupported = outermostUnsupportedAncestor(error);
    if (unsupported !== null) throw ctx.unsupportedNode(unsupported);
    throw syntaxErrorAt(ctx, error);
  }
  const compiler = new StatementCompiler(ctx);
  return new ScenarioCode(
    filename,
    compiler.block(statementNodes(tree.topNode), {
      scope: "module",
      isBody: true,
      topLevel: true,
      header: moduleIndent,
    }),
  );
}

/**
 * A single-quoted string that reaches the end of its line (lezer marks an error inside it): CPython's
 * tokenizer error, "unterminated string literal (detected at line N)" (3.10+ wording).
 */
function unterminatedString(ctx: CompileContext, error: SyntaxNode): PyBaseException | null {
  let string: SyntaxNode | null = error.parent;
  while (string !== null && string.name !== "String" && string.name !== "FormatString")
    string = string.parent;
  if (string === null) return null;
  const text = ctx.source.slice(string.from, string.to);
  const quote = /^[a-zA-Z]*("""|'''|"|')/.exec(text)?.[1];
  if (quote === undefined || quote.length === 3) return null;
  const lineEnd = ctx.source.indexOf("\n", string.from);
  const line = ctx.source.slice(string.from, lineEnd < 0 ? ctx.source.length : lineEnd);
  const body = line.slice(line.indexOf(quote) + 1);
  if (new RegExp(`(^|[^\\\\])(\\\\\\\\)*${quote}`).test(body)) return null;
  return ctx.syntaxErrorOnLine(
    `unterminated string literal (detected at line ${ctx.line(string)})`,
    ctx.line(string),
  );
}

/** Node kinds the subset can contain; any other ancestor of a parse error is a construct we refuse anyway. */
const subsetNodes = new Set([
  "Script",
  "Body",
  "StatementGroup",
  "ImportStatement",
  "AssignStatement",
  "PassStatement",
  "DeleteStatement",
  "ExpressionStatement",
  "RaiseStatement",
  "TryStatement",
  "FunctionDefinition",
  "ClassDefinition",
  "ParamList",
  "ArgList",
  "CallExpression",
  "MemberExpression",
  "UnaryExpression",
  "ParenthesizedExpression",
  "TupleExpression",
  "ArrayExpression",
  "SetExpression",
  "DictionaryExpression",
  "ContinuedString",
]);

function outermostUnsupportedAncestor(node: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (let n = node.parent; n !== null; n = n.parent) if (!subsetNodes.has(n.name)) found = n;
  return found;
}

/**
 * The SyntaxError for lezer's first error node. Lezer reports a misplaced indent or dedent as an error node
 * in (or just before) a line's leading blanks: that is CPython's IndentationError.
 */
function syntaxErrorAt(ctx: CompileContext, error: { from: number; to: number }): PyBaseException {
  const { source } = ctx;
  if (/^[ \t\f]*$/.test(source.slice(error.from, error.to)) && indentAt(source, error.from).startsLine) {
    let codeAt = error.to;
    while (source[codeAt] === " " || source[codeAt] === "\t" || source[codeAt] === "\f") codeAt++;
    const problem = indentationProblem(source, codeAt);
    if (problem !== null) return ctx.indentationError(problem, codeAt);
  }
  return ctx.syntaxError("invalid syntax", error.from);
}

/** Compare the code line at `codeAt` with the code lines before it. */
function indentationProblem(
  source: string,
  codeAt: number,
): IndentProblem | "expected an indented block" | null {
  const next = source[codeAt];
  if (next === undefined || next === "\n" || next === "\r" || next === "#") return null;
  const column = indentAt(source, codeAt).column;
  const previous = source
    .slice(0, codeAt)
    .split(/\r\n|\r|\n/)
    .slice(0, -1)
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  const last = previous.at(-1);
  if (last === undefined) return column > 0 ? "unexpected indent" : null;
  const columnOf = (line: string): number => indentAt(line, line.length - line.trimStart().length).column;
  const lastColumn = columnOf(last);
  if (column > lastColumn) return "unexpected indent";
  if (column === lastColumn) return last.trimEnd().endsWith(":") ? "expected an indented block" : null;
  // A dedent is fine when it returns to the level of an earlier line (an enclosing block).
  return previous.some((line) => columnOf(line) === column)
    ? null
    : "unindent does not match any outer indentation level";
}

/** The statements of a Script or Body node, `a; b` groups flattened. */
function statementNodes(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).flatMap((child) => {
    if (child.name === ":" || child.name === ";") return [];
    return child.name === "StatementGroup" ? statementNodes(child) : [child];
  });
}

function isStringNode(node: SyntaxNode | undefined): boolean {
  return node?.name === "String" || node?.name === "ContinuedString";
}

class StatementCompiler {
  /** Column of the last line-starting statement, in source order (CPython's tokenizer state). */
  private lastColumn = 0;

  constructor(private readonly ctx: CompileContext) {}

  block(nodes: readonly SyntaxNode[], where: BlockContext): Stmt[] {
    const out: Stmt[] = [];
    let futureAllowed = where.topLevel;
    let blockIndent: Indent | null = where.scope === "module" && where.topLevel ? moduleIndent : null;
    nodes.forEach((node, index) => {
      blockIndent = this.checkIndent(node, where.header, blockIndent);
      const docstring = index === 0 ? this.docstring(node, where) : null;
      const stmt = docstring ?? this.statement(node, where, futureAllowed);
      futureAllowed &&= docstring !== null || isFutureImport(stmt);
      out.push(stmt);
    });
    return out;
  }

  /**
   * A statement starting a line must sit at the block's indentation; the first one of a nested block fixes
   * it, deeper than the header. Returns the block's indentation.
   */
  private checkIndent(node: SyntaxNode, header: Indent, blockIndent: Indent | null): Indent | null {
    const indent = indentAt(this.ctx.source, node.from);
    if (!indent.startsLine) return blockIndent;
    if (blockIndent === null) {
      this.lastColumn = indent.column;
      const problem = compareIndent(indent, header);
      if (problem === "tab") throw this.ctx.indentationError(problem, node);
      if (problem !== "unexpected indent")
        throw this.ctx.indentationError("expected an indented block", node);
      return indent;
    }
    this.checkAligned(indent, blockIndent, node);
    return blockIndent;
  }

  /**
   * A line-starting statement or clause must be at `expected`. Deeper is "unexpected indent", unless the
   * line before was deeper still: then it is a dedent to a level no enclosing block has.
   */
  private checkAligned(indent: Indent, expected: Indent, at: SyntaxNode): void {
    let problem = compareIndent(indent, expected);
    if (problem === "unexpected indent" && this.lastColumn > indent.column) {
      problem = "unindent does not match any outer indentation level";
    }
    this.lastColumn = indent.column;
    if (problem !== null) throw this.ctx.indentationError(problem, at);
  }

  /** A module or class docstring compiles to `__doc__ = "…"`, as CPython does; null if `node` is not one. */
  private docstring(node: SyntaxNode, where: BlockContext): Stmt | null {
    if (!where.isBody || node.name !== "ExpressionStatement") return null;
    const children = childrenOf(node);
    if (children.length !== 1 || !isStringNode(children[0])) return null;
    const value = compileExpr(this.ctx, children[0] as SyntaxNode);
    if (value.kind !== "constant" || typeof value.value !== "string") return null;
    return { kind: "assign", line: value.line, targets: ["__doc__"], value };
  }

  private bodyOf(node: SyntaxNode): SyntaxNode[] {
    const body = childrenOf(node).find((c) => c.name === "Body");
    if (body === undefined) throw this.ctx.syntaxError("invalid syntax", node.to);
    return statementNodes(body);
  }

  /** The statements of a try/except/else/finally body owned by `owner`. */
  private nested(body: SyntaxNode, owner: SyntaxNode, where: BlockContext): Stmt[] {
    return this.block(statementNodes(body), {
      ...where,
      isBody: false,
      topLevel: false,
      header: this.indentOf(owner),
    });
  }

  private indentOf(node: SyntaxNode): Indent {
    const { column, alt } = indentAt(this.ctx.source, node.from);
    return { column, alt };
  }

  private statement(node: SyntaxNode, where: BlockContext, futureAllowed: boolean): Stmt {
    const ctx = this.ctx;
    const line = ctx.line(node);
    switch (node.name) {
      case "ImportStatement":
        return compileImport(ctx, node, { moduleLevel: where.scope === "module", futureAllowed });
      case "AssignStatement":
        return this.assign(node);
      case "PassStatement":
        return { kind: "pass", line };
      case "DeleteStatement":
        return this.delete(node);
      case "ExpressionStatement":
        return { kind: "expr", line, value: compileExprList(ctx, childrenOf(node), node) };
      case "RaiseStatement":
        return this.raise(node);
      case "TryStatement":
        return this.try(node, where);
      case "FunctionDefinition":
        return this.functionDef(node);
      case "ClassDefinition":
        return this.classDef(node);
      case "PrintStatement":
        throw ctx.syntaxError("Missing parentheses in call to 'print'. Did you mean print(...)?", node);
      default:
        throw ctx.unsupportedNode(node);
    }
  }

  /** A name a statement binds: refuse what CPython refuses, and what the subset leaves out. */
  private targetName(node: SyntaxNode, verb: "assign to" | "delete"): string {
    const ctx = this.ctx;
    switch (node.name) {
      case "VariableName": {
        const name = ctx.text(node);
        if (name === "__debug__") throw ctx.syntaxError(`cannot ${verb} __debug__`, node);
        return name;
      }
      case "ParenthesizedExpression": {
        const inner = childrenOf(node).filter((c) => c.name !== "(" && c.name !== ")");
        if (inner.length === 1) return this.targetName(inner[0] as SyntaxNode, verb);
        break;
      }
      case "None":
      case "Boolean":
        throw ctx.syntaxError(`cannot ${verb} ${ctx.text(node)}`, node);
      case "Number":
      case "String":
      case "ContinuedString":
      case "Ellipsis":
        throw ctx.syntaxError(verb === "delete" ? "cannot delete literal" : "cannot assign to literal", node);
      case "CallExpression":
        throw ctx.syntaxError(`cannot ${verb} function call`, node);
      case "MemberExpression":
        throw ctx.notSupported(
          childrenOf(node).some((c) => c.name === "[")
            ? `subscript ${verb === "delete" ? "deletion" : "assignment"}`
            : `attribute ${verb === "delete" ? "deletion" : "assignment"}`,
          node,
        );
      case "TupleExpression":
      case "ArrayExpression":
        throw ctx.notSupported(`${verb === "delete" ? "deletion" : "assignment"} to a tuple or list`, node);
    }
    throw ctx.notSupported(`${verb === "delete" ? "deletion" : "assignment"} target ${node.name}`, node);
  }

  /** `a = b = value`; the last `=`-separated part is the value, each earlier one a single name. */
  private assign(node: SyntaxNode): Stmt {
    const ctx = this.ctx;
    const parts: SyntaxNode[][] = [[]];
    for (const child of childrenOf(node)) {
      if (child.name === "TypeDef") throw ctx.notSupported("annotated assignment", node);
      if (child.name === "AssignOp") parts.push([]);
      else (parts[parts.length - 1] as SyntaxNode[]).push(child);
    }
    const valueNodes = parts.pop() as SyntaxNode[];
    const targets = parts.map((part) => {
      if (part.length !== 1) {
        if (part.length === 0) throw ctx.syntaxError("invalid syntax", node);
        throw ctx.notSupported("assignment to a tuple or list", part[0] as SyntaxNode);
      }
      return this.targetName(part[0] as SyntaxNode, "assign to");
    });
    if (valueNodes.some((c) => c.name === "YieldExpression"))
      throw ctx.notSupported("yield expression", node);
    return { kind: "assign", line: ctx.line(node), targets, value: compileExprList(ctx, valueNodes, node) };
  }

  private delete(node: SyntaxNode): Stmt {
    const names = childrenOf(node)
      .filter((c) => c.name !== "del" && c.name !== ",")
      .map((c) => this.targetName(c, "delete"));
    if (names.length === 0) throw this.ctx.syntaxError("invalid syntax", node);
    return { kind: "delete", line: this.ctx.line(node), names };
  }

  private raise(node: SyntaxNode): Stmt {
    const ctx = this.ctx;
    const [, operandNode, ...rest] = childrenOf(node);
    if (rest.length > 0) throw ctx.notSupported("raise ... from", node);
    let operand: RaiseOperand | null = null;
    if (operandNode?.name === "CallExpression") operand = this.raiseCall(operandNode);
    else if (operandNode !== undefined) operand = { kind: "value", value: compileExpr(ctx, operandNode) };
    return { kind: "raise", line: ctx.line(node), operand };
  }

  /** `raise E(args, name=...)`: the one place a call is allowed. */
  private raiseCall(node: SyntaxNode): RaiseOperand {
    const ctx = this.ctx;
    const [calleeNode, argList, ...rest] = childrenOf(node);
    if (calleeNode === undefined || argList?.name !== "ArgList" || rest.length > 0)
      throw ctx.unsupportedNode(node);
    const args: Expr[] = [];
    const keywords: [string, Expr][] = [];
    const items = childrenOf(argList).filter((c) => c.name !== "(" && c.name !== ")");
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as SyntaxNode;
      if (item.name === ",") continue;
      if (item.name === "*" || item.name === "**") throw ctx.notSupported("argument unpacking", item);
      if (items[i + 1]?.name === "AssignOp") {
        const value = items[i + 2];
        if (item.name !== "VariableName" || value === undefined)
          throw ctx.syntaxError("invalid syntax", item);
        const key = ctx.text(item);
        if (keywords.some(([k]) => k === key))
          throw ctx.syntaxError(`keyword argument repeated: ${key}`, item);
        keywords.push([key, compileExpr(ctx, value)]);
        i += 2;
      } else {
        if (keywords.length > 0) throw ctx.syntaxError("positional argument follows keyword argument", item);
        if (items[i + 1] !== undefined && items[i + 1]?.name !== ",")
          throw ctx.notSupported("generator expression argument", item);
        args.push(compileExpr(ctx, item));
      }
    }
    return { kind: "call", callee: compileExpr(ctx, calleeNode), args, keywords };
  }

  private try(node: SyntaxNode, where: BlockContext): Stmt {
    const ctx = this.ctx;
    let body: Stmt[] | null = null;
    const handlers: ExceptHandler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    let clause: SyntaxNode | null = null;
    let pending: SyntaxNode[] = [];
    const tryIndent = this.indentOf(node);
    for (const child of childrenOf(node)) {
      if (child.name !== "Body") {
        if (clause === null) {
          clause = child;
          const indent = indentAt(ctx.source, child.from);
          if (indent.startsLine) this.checkAligned(indent, tryIndent, child);
        } else pending.push(child);
        continue;
      }
      const stmts = this.nested(child, node, where);
      const keyword = clause?.name;
      if (keyword === "try") body = stmts;
      else if (keyword === "except")
        handlers.push(this.handler(clause as SyntaxNode, pending, stmts, handlers));
      else if (keyword === "else") orelse = stmts;
      else if (keyword === "finally") finalbody = stmts;
      else throw ctx.syntaxError("invalid syntax", child);
      clause = null;
      pending = [];
    }
    if (body === null) throw ctx.syntaxError("invalid syntax", node);
    const hasFinally = childrenOf(node).some((c) => c.name === "finally");
    if (handlers.length === 0 && !hasFinally)
      throw ctx.syntaxError("expected 'except' or 'finally' block", node.to);
    return { kind: "try", line: ctx.line(node), body, handlers, orelse, finalbody };
  }

  private handler(
    keyword: SyntaxNode,
    header: readonly SyntaxNode[],
    body: Stmt[],
    previous: readonly ExceptHandler[],
  ): ExceptHandler {
    const ctx = this.ctx;
    const line = ctx.line(keyword);
    const bare = previous.find((h) => h.type === null);
    if (bare !== undefined) throw ctx.syntaxErrorOnLine("default 'except:' must be last", bare.line);
    if (header[0]?.name === "*") throw ctx.notSupported("except* clause", keyword);
    if (header.length === 0) return { line, type: null, asName: null, body };
    const [typeNode, as, nameNode, ...rest] = header;
    if (rest.length > 0 || (as !== undefined && (as.name !== "as" || nameNode?.name !== "VariableName"))) {
      throw ctx.syntaxError("invalid syntax", keyword);
    }
    const type = compileExpr(ctx, typeNode as SyntaxNode);
    return {
      line,
      type,
      asName: nameNode === undefined ? null : this.targetName(nameNode, "assign to"),
      body,
    };
  }

  private functionDef(node: SyntaxNode): Stmt {
    const ctx = this.ctx;
    const children = childrenOf(node);
    if (children[0]?.name === "async") throw ctx.notSupported("async function", node);
    const nameNode = children.find((c) => c.name === "VariableName");
    const params = children.find((c) => c.name === "ParamList");
    if (nameNode === undefined || params === undefined) throw ctx.syntaxError("invalid syntax", node);
    if (children.some((c) => c.name === "TypeDef")) throw ctx.notSupported("return annotation", node);
    if (children.some((c) => c.name === "TypeParamList")) throw ctx.notSupported("type parameters", node);
    const defaults = this.parameterDefaults(params);
    const body = this.block(this.bodyOf(node), {
      scope: "function",
      isBody: false,
      topLevel: false,
      header: this.indentOf(node),
    });
    return {
      kind: "functionDef",
      line: ctx.line(node),
      name: ctx.checkBindable(ctx.text(nameNode), nameNode),
      defaults,
      body,
    };
  }

  /** Check a parameter list (names, `*`, `**`, `/`, defaults) and return the defaults in evaluation order. */
  private parameterDefaults(params: SyntaxNode): Expr[] {
    const ctx = this.ctx;
    const seen = new Set<string>();
    const defaults: Expr[] = [];
    const items = childrenOf(params).filter((c) => c.name !== "(" && c.name !== ")");
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as SyntaxNode;
      if (item.name === "TypeDef") throw ctx.notSupported("parameter annotation", item);
      if (item.name === "VariableName") {
        const name = ctx.checkBindable(ctx.text(item), item);
        if (seen.has(name))
          throw ctx.syntaxError(`duplicate argument '${name}' in function definition`, item);
        seen.add(name);
      } else if (item.name === "AssignOp") {
        const value = items[i + 1];
        if (value === undefined) throw ctx.syntaxError("invalid syntax", item);
        defaults.push(compileExpr(ctx, value));
        i++;
      } else if (![",", "*", "**", "/"].includes(item.name)) {
        throw ctx.syntaxError("invalid syntax", item);
      }
    }
    return defaults;
  }

  private classDef(node: SyntaxNode): Stmt {
    const ctx = this.ctx;
    const children = childrenOf(node);
    const nameNode = children.find((c) => c.name === "VariableName");
    if (nameNode === undefined) throw ctx.syntaxError("invalid syntax", node);
    if (children.some((c) => c.name === "TypeParamList")) throw ctx.notSupported("type parameters", node);
    const argList = children.find((c) => c.name === "ArgList");
    const bases: Expr[] = [];
    for (const arg of argList === undefined ? [] : childrenOf(argList)) {
      if (arg.name === "(" || arg.name === ")" || arg.name === ",") continue;
      if (arg.name === "AssignOp" || arg.name === "*" || arg.name === "**")
        throw ctx.notSupported("class keyword or unpacked arguments", arg);
      bases.push(compileExpr(ctx, arg));
    }
    const body = this.block(this.bodyOf(node), {
      scope: "class",
      isBody: true,
      topLevel: false,
      header: this.indentOf(node),
    });
    return {
      kind: "classDef",
      line: ctx.line(node),
      name: ctx.checkBindable(ctx.text(nameNode), nameNode),
      bases,
      body,
    };
  }
}
