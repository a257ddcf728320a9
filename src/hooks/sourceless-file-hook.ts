/** Lone bytecode files (`.pyc` where the `.py` would be): CPython's `SourcelessFileLoader`. */
import type { FileHook, ImportContext, Loader } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { isInitFile } from "./loader-environment.js";
import { type ModuleCode, runModuleCode, sourcelessModuleCode } from "./module-code.js";

export class SourcelessFileLoader implements Loader {
  readonly pyType = "SourcelessFileLoader";

  constructor(
    readonly name: string,
    readonly path: string,
    private readonly env: LoaderEnvironment,
  ) {}

  isPackage(fullname: string): boolean {
    return isInitFile(fullname, this.path);
  }

  getFilename(): string {
    return this.path;
  }

  /** There is no source. */
  getSource(): null {
    return null;
  }

  getCode(fullname: string): ModuleCode {
    return sourcelessModuleCode(this.env, fullname, this.path);
  }

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    await runModuleCode(this.env, this.getCode(this.name), module, ctx);
  }
}

export function sourcelessFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "bytecode",
    suffixes: env.profile.bytecodeSuffixes,
    createLoader: (fullname, path) => new SourcelessFileLoader(fullname, path, env),
  };
}
