/**
 * `builtins.__build_class__(func, name, *bases)`: run the class body function with a fresh namespace, then
 * `type(name, bases, namespace)` as the source executor makes classes (type.__new__ keeps `__qualname__` out
 * of the class dict and adds `__doc__ = None` when there is no docstring). The cells a body hands over
 * (`__classcell__`, 3.14's `__classdictcell__`) are taken out of the dict as type.__new__ does; no function
 * body ever runs to read them.
 */
import type { PyValue } from "../../core/values.js";
import { PyClass } from "../../core/values.js";
import { objectClass } from "../builtins.js";
import type { BytecodeFrame } from "./frame.js";
import { Refusal } from "./refusal.js";
import { BytecodeFunction } from "./runtime-values.js";

/** Namespace entries type.__new__ consumes instead of storing. */
const typeNewRemoves = new Set(["__qualname__", "__classcell__", "__classdictcell__"]);

export async function buildClass(
  frame: BytecodeFrame,
  args: readonly PyValue[],
  keywords: readonly (readonly [string, PyValue])[],
): Promise<PyClass> {
  if (keywords.length > 0) throw new Refusal("class keyword arguments (metaclass)");
  const [body, name, ...bases] = args;
  if (!(body instanceof BytecodeFunction) || typeof name !== "string")
    throw new Refusal("__build_class__ arguments");
  if (bases.some((base) => base !== objectClass)) throw new Refusal("class base other than object");
  const namespace = new Map<string, PyValue>();
  await frame.runNested(body.code, namespace);
  const qualname = namespace.get("__qualname__");
  const module = namespace.get("__module__");
  const cls = new PyClass(
    name,
    typeof qualname === "string" ? qualname : name,
    typeof module === "string" ? module : body.module,
  );
  for (const [key, value] of namespace) if (!typeNewRemoves.has(key)) cls.attrs.set(key, value);
  if (!cls.attrs.has("__doc__")) cls.attrs.set("__doc__", null);
  return cls;
}
