/**
 * A tiny ImportSystemApi for executor tests: prepared modules in `sys.modules`, every `__import__` call
 * recorded, optional module bodies run through the executor on first import.
 */
import { ModuleNotFoundError } from "../../src/core/errors.js";
import type { ImportContext, ImportSystemApi, ImportTask } from "../../src/core/interfaces.js";
import { Module } from "../../src/core/module.js";
import { SysState } from "../../src/core/sys-state.js";
import type { PyValue } from "../../src/core/values.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";

export interface ImportCall {
  readonly name: string;
  readonly globals: string | null;
  readonly fromlist: readonly string[] | null;
  readonly level: number;
}

export class FakeImportSystem implements ImportSystemApi {
  readonly sys = new SysState();
  readonly modules = this.sys.modules;
  readonly calls: ImportCall[] = [];
  readonly tracing = false;
  /** Module sources executed (through the executor) when first imported. */
  readonly sources = new Map<string, string>();
  readonly executor = new ScenarioExecutor();

  /** Put a module in `sys.modules` with the given attributes (and `__file__` unless null). */
  add(
    name: string,
    attrs: Record<string, PyValue> = {},
    file: string | null = `/lib/${name.replaceAll(".", "/")}.py`,
  ): Module {
    const module = new Module(name);
    if (file !== null) module.dict.set("__file__", file);
    for (const [key, value] of Object.entries(attrs)) module.dict.set(key, value);
    this.modules.set(name, module);
    const dot = name.lastIndexOf(".");
    if (dot > 0) this.modules.get(name.slice(0, dot))?.dict.set(name.slice(dot + 1), module);
    return module;
  }

  async importName(
    name: string,
    globals: Module | null,
    fromlist: readonly string[] | null,
    level: number,
    ctx?: ImportContext,
  ): Promise<Module> {
    this.calls.push({ name, globals: globals?.name ?? null, fromlist, level });
    const absolute = level === 0 ? name : resolveRelative(name, globals, level);
    const parts = absolute.split(".");
    for (let i = 1; i <= parts.length; i++) await this.load(parts.slice(0, i).join("."), ctx);
    const target = fromlist !== null && fromlist.length > 0 ? absolute : (parts[0] as string);
    return this.modules.get(target) as Module;
  }

  private async load(name: string, ctx?: ImportContext): Promise<void> {
    if (this.modules.get(name)) return;
    const source = this.sources.get(name);
    if (source === undefined) throw new ModuleNotFoundError(`No module named '${name}'`, { name });
    const module = this.add(name, {}, `/lib/${name}.py`);
    try {
      await this.executor.exec(
        this.executor.compile(source, `/lib/${name}.py`),
        module,
        ctx ?? newContext(this),
      );
    } catch (error) {
      this.modules.delete(name);
      throw error;
    }
  }

  async importModule(name: string): Promise<Module> {
    await this.importName(name, null, ["*"], 0);
    return this.modules.get(name) as Module;
  }

  emit(): void {}
}

function resolveRelative(name: string, globals: Module | null, level: number): string {
  const pkg = globals?.dict.get("__package__");
  const base = (typeof pkg === "string" ? pkg : "").split(".");
  const parent = base.slice(0, base.length - (level - 1)).join(".");
  return name === "" ? parent : `${parent}.${name}`;
}

let nextTask = 1;

export function newContext(system: ImportSystemApi): ImportContext {
  const task: ImportTask = { id: nextTask++, blockingOn: null };
  return { system, task };
}

/** Compile and run `source` as module `name` (default `__main__`); returns the module. */
export async function run(
  source: string,
  system = new FakeImportSystem(),
  name = "__main__",
): Promise<Module> {
  const module = new Module(name);
  await runIn(module, source, system);
  return module;
}

export async function runIn(module: Module, source: string, system = new FakeImportSystem()): Promise<void> {
  const executor = new ScenarioExecutor();
  await executor.exec(executor.compile(source, "/proj/m.py"), module, newContext(system));
}

/** The non-dunder names of a namespace, as a plain object (for toEqual). */
export function namesOf(module: Module): Record<string, PyValue> {
  return Object.fromEntries([...module.dict].filter(([key]) => !key.startsWith("__")));
}
