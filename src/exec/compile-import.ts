/**
 * `ImportStatement` nodes → import statements. Lezer gives a flat token list for both `import …` and
 * `from … import …` (and is lenient), so the grammar is checked here token by token.
 */
import type { SyntaxNode } from "@lezer/common";
import { FUTURE_FEATURE_NAMES } from "../core/future-features.js";
import type { ImportAlias, Stmt } from "./ast.js";
import { type CompileContext, childrenOf } from "./compile-context.js";

/** The features `from __future__ import` accepts. */
const futureFeatures: ReadonlySet<string> = new Set(FUTURE_FEATURE_NAMES);

/** Where an import statement sits: `import *` and `from __future__` have placement rules. */
export interface ImportPlacement {
  readonly moduleLevel: boolean;
  /** Only a docstring and other future imports precede this statement. */
  readonly futureAllowed: boolean;
}

class TokenReader {
  private index = 0;
  constructor(
    private readonly ctx: CompileContext,
    private readonly statement: SyntaxNode,
    private readonly tokens: readonly SyntaxNode[],
  ) {}

  peek(): SyntaxNode | undefined {
    return this.tokens[this.index];
  }
  done(): boolean {
    return this.index >= this.tokens.length;
  }
  take(): SyntaxNode {
    const token = this.tokens[this.index++];
    if (token === undefined) throw this.ctx.syntaxError("invalid syntax", this.statement.to);
    return token;
  }
  accept(name: string): SyntaxNode | null {
    return this.peek()?.name === name ? this.take() : null;
  }
  expect(name: string): SyntaxNode {
    const token = this.take();
    if (token.name !== name) throw this.ctx.syntaxError("invalid syntax", token);
    return token;
  }
  name(): string {
    return this.ctx.text(this.expect("VariableName"));
  }
  dottedName(): string {
    const parts = [this.name()];
    while (this.accept(".")) parts.push(this.name());
    return parts.join(".");
  }
  asName(): string | null {
    if (!this.accept("as")) return null;
    const token = this.expect("VariableName");
    return this.ctx.checkBindable(this.ctx.text(token), token);
  }
}

function compilePlainImport(ctx: CompileContext, reader: TokenReader, line: number): Stmt {
  const names: ImportAlias[] = [];
  do {
    const first = reader.peek();
    const name = reader.dottedName();
    const asName = reader.asName();
    if (asName === null && first !== undefined) ctx.checkBindable(ctx.text(first), first);
    names.push({ name, asName });
  } while (reader.accept(","));
  return { kind: "import", line, names };
}

function compileFromImport(
  ctx: CompileContext,
  reader: TokenReader,
  node: SyntaxNode,
  placement: ImportPlacement,
): Stmt {
  const line = ctx.line(node);
  let level = 0;
  for (;;) {
    if (reader.accept(".")) level += 1;
    else if (reader.accept("Ellipsis")) level += 3;
    else break;
  }
  const module = reader.peek()?.name === "VariableName" ? reader.dottedName() : "";
  if (module === "" && level === 0) throw ctx.syntaxError("invalid syntax", reader.peek() ?? node.to);
  reader.expect("import");
  const star = reader.accept("*");
  if (star !== null) {
    if (!reader.done()) throw ctx.syntaxError("invalid syntax", reader.take());
    if (module === "__future__" && level === 0)
      throw ctx.syntaxError("future feature * is not defined", node);
    if (!placement.moduleLevel) throw ctx.syntaxError("import * only allowed at module level", node);
    return { kind: "importStar", line, module, level };
  }
  const parenthesized = reader.accept("(") !== null;
  const names: ImportAlias[] = [];
  do {
    if (parenthesized && reader.peek()?.name === ")") break;
    if (!parenthesized && reader.done() && names.length > 0) {
      throw ctx.syntaxError("trailing comma not allowed without surrounding parentheses", node);
    }
    const token = reader.expect("VariableName");
    const name = ctx.text(token);
    const asName = reader.asName();
    if (asName === null) ctx.checkBindable(name, token);
    names.push({ name, asName });
  } while (reader.accept(","));
  if (parenthesized) reader.expect(")");
  if (names.length === 0 || !reader.done()) throw ctx.syntaxError("invalid syntax", reader.peek() ?? node.to);
  if (module === "__future__" && level === 0) checkFutureImport(ctx, node, names, placement);
  return { kind: "importFrom", line, module, level, names };
}

/** CPython's compile-time rules for `from __future__ import …`; at run time it is an ordinary import. */
function checkFutureImport(
  ctx: CompileContext,
  node: SyntaxNode,
  names: readonly ImportAlias[],
  placement: ImportPlacement,
): void {
  if (!placement.futureAllowed)
    throw ctx.syntaxError("from __future__ imports must occur at the beginning of the file", node);
  for (const { name } of names) {
    if (name === "braces") throw ctx.syntaxError("not a chance", node);
    if (!futureFeatures.has(name)) throw ctx.syntaxError(`future feature ${name} is not defined`, node);
  }
}

/** Compile an `ImportStatement` node. */
export function compileImport(ctx: CompileContext, node: SyntaxNode, placement: ImportPlacement): Stmt {
  const reader = new TokenReader(ctx, node, childrenOf(node));
  if (reader.accept("import"))
    return finish(ctx, reader, node, compilePlainImport(ctx, reader, ctx.line(node)));
  reader.expect("from");
  return compileFromImport(ctx, reader, node, placement);
}

function finish(ctx: CompileContext, reader: TokenReader, node: SyntaxNode, stmt: Stmt): Stmt {
  if (!reader.done()) throw ctx.syntaxError("invalid syntax", reader.peek() ?? node.to);
  return stmt;
}

/** Whether `stmt` is `from __future__ import …` (which keeps later future imports allowed). */
export function isFutureImport(stmt: Stmt): boolean {
  return stmt.kind === "importFrom" && stmt.module === "__future__" && stmt.level === 0;
}
