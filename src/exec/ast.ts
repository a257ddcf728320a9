/**
 * The scenario executor's own AST: only the scenario-Python subset, so the interpreter never meets a node it
 * cannot run. Every node carries its 1-based source line for error messages.
 */
import type { PyValue } from "../core/values.js";

export type Expr =
  /** A literal whose value is immutable (int, float, str, bytes, bool, None, Ellipsis): shared between runs. */
  | { readonly kind: "constant"; readonly line: number; readonly value: PyValue }
  | { readonly kind: "name"; readonly line: number; readonly id: string }
  | { readonly kind: "attribute"; readonly line: number; readonly object: Expr; readonly attr: string }
  | { readonly kind: "unary"; readonly line: number; readonly op: UnaryOp; readonly operand: Expr }
  | { readonly kind: "list" | "tuple" | "set"; readonly line: number; readonly elements: readonly Expr[] }
  | { readonly kind: "dict"; readonly line: number; readonly entries: readonly (readonly [Expr, Expr])[] };

export type UnaryOp = "-" | "+" | "~";

/** What follows `raise`: `raise E`, `raise E(args, kw=...)` (calls are only allowed here). */
export type RaiseOperand =
  | { readonly kind: "value"; readonly value: Expr }
  | {
      readonly kind: "call";
      readonly callee: Expr;
      readonly args: readonly Expr[];
      readonly keywords: readonly (readonly [string, Expr])[];
    };

export interface ImportAlias {
  /** Dotted module name for `import`, attribute name for `from ... import`. */
  readonly name: string;
  readonly asName: string | null;
}

export interface ExceptHandler {
  readonly line: number;
  /** null for a bare `except:`. */
  readonly type: Expr | null;
  readonly asName: string | null;
  readonly body: readonly Stmt[];
}

export type Stmt =
  | { readonly kind: "import"; readonly line: number; readonly names: readonly ImportAlias[] }
  | {
      readonly kind: "importFrom";
      readonly line: number;
      readonly module: string;
      readonly level: number;
      readonly names: readonly ImportAlias[];
    }
  | { readonly kind: "importStar"; readonly line: number; readonly module: string; readonly level: number }
  /** `a = b = value`: value evaluated once, targets bound left to right. */
  | {
      readonly kind: "assign";
      readonly line: number;
      readonly targets: readonly string[];
      readonly value: Expr;
    }
  | { readonly kind: "delete"; readonly line: number; readonly names: readonly string[] }
  | { readonly kind: "pass"; readonly line: number }
  /** An expression statement: evaluated for its effects (a NameError), the value discarded. */
  | { readonly kind: "expr"; readonly line: number; readonly value: Expr }
  | { readonly kind: "raise"; readonly line: number; readonly operand: RaiseOperand | null }
  | {
      readonly kind: "try";
      readonly line: number;
      readonly body: readonly Stmt[];
      readonly handlers: readonly ExceptHandler[];
      readonly orelse: readonly Stmt[];
      readonly finalbody: readonly Stmt[];
    }
  | {
      readonly kind: "functionDef";
      readonly line: number;
      readonly name: string;
      /** Parameter defaults, evaluated when the `def` runs (positional ones, then keyword-only ones). */
      readonly defaults: readonly Expr[];
      /** Checked at compile time, never run: scenario functions are never called. */
      readonly body: readonly Stmt[];
    }
  | {
      readonly kind: "classDef";
      readonly line: number;
      readonly name: string;
      readonly bases: readonly Expr[];
      readonly body: readonly Stmt[];
    };
