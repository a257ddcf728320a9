/**
 * Extension modules (the profile's shared-library suffixes): CPython's `ExtensionFileLoader`. Finding them
 * is modelled exactly; their bodies are native code importkit does not run, so the module gets its spec
 * and dunders only, and traces say so.
 */
import type { FileHook, ImportContext, Loader } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import type { ModuleSpec } from "../core/spec.js";
import type { LoaderEnvironment } from "./loader-environment.js";

export class ExtensionFileLoader implements Loader {
  readonly pyType = "ExtensionFileLoader";

  constructor(
    readonly name: string,
    readonly path: string,
    private readonly env: LoaderEnvironment,
  ) {}

  /** An extension module is a package when its file is `__init__` plus an extension suffix. */
  isPackage(): boolean {
    const filename = this.path.slice(this.path.lastIndexOf("/") + 1);
    return this.env.profile.extensionSuffixes.some((suffix) => filename === `__init__${suffix}`);
  }

  getFilename(): string {
    return this.path;
  }

  getSource(): null {
    return null;
  }

  createModule(spec: ModuleSpec, ctx: ImportContext): Module {
    if (ctx.system.tracing)
      ctx.system.emit({
        type: "not-modelled",
        name: spec.name,
        what: `extension module body (${this.path})`,
      });
    return new Module(spec.name);
  }

  execModule(): void {}
}

export function extensionFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "extension",
    suffixes: env.profile.extensionSuffixes,
    createLoader: (fullname, path) => new ExtensionFileLoader(fullname, path, env),
  };
}
