/**
 * Runs compiled scenario Python with CPython 3.11's semantics. Imports follow the bytecode CPython emits
 * (IMPORT_NAME, then IMPORT_FROM / IMPORT_STAR), so partial bindings and error messages match.
 * Only statements that may import are awaited; the rest run synchronously.
 */
import { NameError, PyBaseException, RuntimeError, TypeError_ } from "../core/errors.js";
import { importFrom, importStar } from "../core/import-statement.js";
import { Module } from "../core/module.js";
import type { PyValue } from "../core/values.js";
import { PyClass, PyFunction, PyTuple, typeName } from "../core/values.js";
import type { ExceptHandler, Expr, ImportAlias, RaiseOperand, Stmt } from "./ast.js";
import { objectClass } from "./builtins.js";
import { evaluate } from "./evaluate.js";
import { instantiateException, PyExceptionClass } from "./exception-types.js";
import type { Frame } from "./frame.js";
import { notSupported } from "./not-supported.js";

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;

export async function execBlock(frame: Frame, body: readonly Stmt[]): Promise<void> {
  for (const stmt of body) {
    const pending = execStatement(frame, stmt);
    if (pending !== undefined) await pending;
  }
}

/** Run one statement; a promise only when it may import. */
function execStatement(frame: Frame, stmt: Stmt): Promise<void> | undefined {
  switch (stmt.kind) {
    case "import":
      return execImport(frame, stmt);
    case "importFrom":
      return execImportFrom(frame, stmt);
    case "importStar":
      return execImportStar(frame, stmt);
    case "try":
      return execTry(frame, stmt);
    case "classDef":
      return execClassDef(frame, stmt);
    case "assign": {
      const value = evaluate(frame, stmt.value);
      for (const target of stmt.targets) frame.locals.set(target, value);
      return undefined;
    }
    case "delete":
      for (const name of stmt.names) {
        if (!frame.locals.delete(name)) throw new NameError(`name '${name}' is not defined`);
      }
      return undefined;
    case "pass":
      return undefined;
    case "expr":
      evaluate(frame, stmt.value);
      return undefined;
    case "raise":
      throw raisedException(frame, stmt.operand, stmt.line);
    case "functionDef": {
      // Defaults are evaluated when `def` runs; the body never runs (scenario functions are not called).
      for (const value of stmt.defaults) evaluate(frame, value);
      frame.locals.set(
        stmt.name,
        new PyFunction(stmt.name, frame.qualnamePrefix + stmt.name, moduleNameOf(frame)),
      );
      return undefined;
    }
  }
}

/**
 * The module name a function or class records: a function's `__module__` is `globals()["__name__"]`; a
 * class body's `__module__ = __name__` finds the same, its namespace being empty at that point.
 */
function moduleNameOf(frame: Frame): string {
  const name = frame.globals.get("__name__");
  return typeof name === "string" ? name : frame.module.name;
}

/** `import a.b.c` binds `a`; `import a.b.c as x` walks to `a.b.c` with IMPORT_FROM (CPython 3.11). */
async function execImport(frame: Frame, stmt: StmtOf<"import">): Promise<void> {
  const { system } = frame.ctx;
  for (const alias of stmt.names) {
    const top = await system.importName(alias.name, frame.module, null, 0, frame.ctx);
    const [first = alias.name, ...rest] = alias.name.split(".");
    if (alias.asName === null) {
      frame.locals.set(first, top);
      continue;
    }
    let value: PyValue = top;
    for (const part of rest) {
      if (!(value instanceof Module))
        throw notSupported("import ... as through a non-module attribute", frame.location(stmt.line));
      value = importFrom(value, part, system.modules);
    }
    frame.locals.set(alias.asName, value);
  }
}

/** `from X import a, b as c`: one IMPORT_NAME, then IMPORT_FROM + bind per name (earlier names stay bound). */
async function execImportFrom(frame: Frame, stmt: StmtOf<"importFrom">): Promise<void> {
  const { system } = frame.ctx;
  const fromlist = stmt.names.map((alias: ImportAlias) => alias.name);
  const module = await system.importName(stmt.module, frame.module, fromlist, stmt.level, frame.ctx);
  for (const alias of stmt.names) {
    frame.locals.set(alias.asName ?? alias.name, importFrom(module, alias.name, system.modules));
  }
}

async function execImportStar(frame: Frame, stmt: StmtOf<"importStar">): Promise<void> {
  const module = await frame.ctx.system.importName(stmt.module, frame.module, ["*"], stmt.level, frame.ctx);
  importStar(module, frame.locals);
}

/** The exception a `raise` statement throws (RAISE_VARARGS). */
function raisedException(frame: Frame, operand: RaiseOperand | null, line: number): PyBaseException {
  if (operand === null) {
    const current = frame.handled.at(-1);
    return current ?? new RuntimeError("No active exception to reraise");
  }
  if (operand.kind === "value") {
    const value = evaluate(frame, operand.value);
    if (value instanceof PyExceptionClass) return instantiateException(value, [], [], frame.location(line));
    if (value instanceof PyBaseException) return value;
    return new TypeError_("exceptions must derive from BaseException");
  }
  const callee = evaluate(frame, operand.callee);
  const args = operand.args.map((arg) => evaluate(frame, arg));
  const keywords = operand.keywords.map(([key, value]): [string, PyValue] => [key, evaluate(frame, value)]);
  if (callee instanceof PyExceptionClass)
    return instantiateException(callee, args, keywords, frame.location(line));
  if (callee instanceof PyClass || callee instanceof PyFunction || !isPlainValue(callee)) {
    throw notSupported(`calling a '${typeName(callee)}' object`, frame.location(line));
  }
  return new TypeError_(`'${typeName(callee)}' object is not callable`);
}

/** Types whose instances are known not to be callable in Python (literals, containers, modules). */
export const NOT_CALLABLE_TYPES: ReadonlySet<string> = new Set([
  "NoneType",
  "bool",
  "int",
  "float",
  "str",
  "bytes",
  "list",
  "tuple",
  "dict",
  "set",
  "frozenset",
  "module",
]);

function isPlainValue(value: PyValue): boolean {
  return NOT_CALLABLE_TYPES.has(typeName(value));
}

/** try / except / else / finally. Only Python exceptions are handled; importkit's own errors pass through untouched. */
async function execTry(frame: Frame, stmt: StmtOf<"try">): Promise<void> {
  let propagating: PyBaseException | null = null;
  try {
    await execTryExceptElse(frame, stmt);
  } catch (error) {
    if (!(error instanceof PyBaseException)) throw error;
    propagating = error;
  }
  if (stmt.finalbody.length > 0) {
    // While an exception propagates through `finally`, it is the one being handled (a bare `raise` re-raises it).
    if (propagating === null) await execBlock(frame, stmt.finalbody);
    else await withHandled(frame, propagating, () => execBlock(frame, stmt.finalbody));
  }
  if (propagating !== null) throw propagating;
}

async function execTryExceptElse(frame: Frame, stmt: StmtOf<"try">): Promise<void> {
  try {
    await execBlock(frame, stmt.body);
  } catch (error) {
    if (!(error instanceof PyBaseException) || stmt.handlers.length === 0) throw error;
    await handle(frame, stmt.handlers, error);
    return;
  }
  await execBlock(frame, stmt.orelse);
}

/** Find the first matching handler and run it, or re-raise. */
async function handle(
  frame: Frame,
  handlers: readonly ExceptHandler[],
  error: PyBaseException,
): Promise<void> {
  await withHandled(frame, error, async () => {
    for (const handler of handlers) {
      if (handler.type !== null && !exceptionMatches(frame, handler.type, error)) continue;
      if (handler.asName === null) return execBlock(frame, handler.body);
      frame.locals.set(handler.asName, error);
      try {
        return await execBlock(frame, handler.body);
      } finally {
        // CPython ends an `except ... as e` block with `e = None; del e`.
        frame.locals.delete(handler.asName);
      }
    }
    throw error;
  });
}

async function withHandled(frame: Frame, error: PyBaseException, run: () => Promise<void>): Promise<void> {
  const stack = frame.handled;
  stack.push(error);
  try {
    await run();
  } finally {
    stack.pop();
  }
}

/** CHECK_EXC_MATCH: every class named must derive from BaseException, even after a match. */
function exceptionMatches(frame: Frame, typeExpr: Expr, error: PyBaseException): boolean {
  // One level of tuple only: `check_except_type_valid` rejects a tuple inside the tuple.
  const value = evaluate(frame, typeExpr);
  const classes = value instanceof PyTuple ? value.items : [value];
  for (const cls of classes) {
    if (!(cls instanceof PyExceptionClass)) {
      throw new TypeError_("catching classes that do not inherit from BaseException is not allowed");
    }
  }
  return (classes as PyExceptionClass[]).some((cls) => error instanceof cls.errorType);
}

/** `class K:` / `class K(object):`: run the body in a fresh namespace, then make the class. */
async function execClassDef(frame: Frame, stmt: StmtOf<"classDef">): Promise<void> {
  for (const base of stmt.bases) {
    if (evaluate(frame, base) !== objectClass)
      throw notSupported("class base other than object", frame.location(stmt.line));
  }
  const qualname = frame.qualnamePrefix + stmt.name;
  const moduleName = moduleNameOf(frame);
  const namespace = new Map<string, PyValue>([
    ["__module__", moduleName],
    ["__qualname__", qualname],
  ]);
  await execBlock(frame.classBody(namespace, qualname), stmt.body);
  const cls = new PyClass(stmt.name, qualname, moduleName);
  // type.__new__ keeps __qualname__ out of the class dict and adds __doc__ = None when there is no docstring.
  for (const [key, value] of namespace) if (key !== "__qualname__") cls.attrs.set(key, value);
  if (!cls.attrs.has("__doc__")) cls.attrs.set("__doc__", null);
  frame.locals.set(stmt.name, cls);
}
