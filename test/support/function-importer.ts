/**
 * A custom importer for tests: modules whose bodies are JS functions. It is the smallest complete
 * Importer + Loader, and shows how an importer plugs into the importer list.
 */
import type { Awaitable } from "../../src/core/awaitable.js";
import type { Executor, ImportContext, Importer, Loader } from "../../src/core/interfaces.js";
import type { Module } from "../../src/core/module.js";
import { ModuleSpec } from "../../src/core/spec.js";

export type ModuleBody = (module: Module, ctx: ImportContext) => Awaitable<void>;

export class FunctionImporter implements Importer {
  readonly pyType = "FunctionImporter";
  constructor(
    private readonly bodies: Record<string, ModuleBody>,
    private readonly packages: ReadonlySet<string> = new Set(),
  ) {}

  findSpec(name: string): ModuleSpec | null {
    const body = this.bodies[name];
    if (!body) return null;
    const loader: Loader = {
      pyType: "FunctionLoader",
      execModule: (module, ctx) => body(module, ctx),
    };
    return new ModuleSpec(name, loader, { origin: `function:${name}`, isPackage: this.packages.has(name) });
  }
}

/** An executor for systems that never run Python source in a test. */
export const noExecutor: Executor = {
  compile() {
    throw new Error("this test runs no source");
  },
  exec() {
    throw new Error("this test runs no source");
  },
};

/** Let other pending imports run (a loader waiting on I/O). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
