/** Source modules (`.py`): CPython's `SourceFileLoader`. */
import type { FileHook, ImportContext, Loader } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { isInitFile, readFileData } from "./loader-environment.js";
import { type ModuleCode, runModuleCode, sourceModuleCode } from "./module-code.js";
import { decodeSource } from "./source-text.js";

export { decodeSource };

export class SourceFileLoader implements Loader {
  readonly pyType = "SourceFileLoader";

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

  getSource(): string {
    return decodeSource(readFileData(this.env, this.path), this.path);
  }

  getCode(fullname: string): ModuleCode {
    return sourceModuleCode(this.env, fullname, this.path);
  }

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    await runModuleCode(this.env, this.getCode(this.name), module, ctx);
  }
}

export function sourceFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "source",
    suffixes: env.profile.sourceSuffixes,
    createLoader: (fullname, path) => new SourceFileLoader(fullname, path, env),
  };
}
