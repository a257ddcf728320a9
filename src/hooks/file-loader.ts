/**
 * CPython's `FileLoader` + `_LoaderBasics`: what every loader of one file shares — its name and path,
 * `is_package` from the file name, and `exec_module` running whatever `get_code` returns.
 */
import type { ImportContext, Loader } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { isInitFile } from "./loader-environment.js";
import { type ModuleCode, runModuleCode } from "./module-code.js";

export abstract class FileLoader implements Loader {
  abstract readonly pyType: string;

  constructor(
    readonly name: string,
    readonly path: string,
    protected readonly env: LoaderEnvironment,
  ) {}

  isPackage(fullname: string): boolean {
    return isInitFile(fullname, this.path);
  }

  getFilename(): string {
    return this.path;
  }

  abstract getSource(): string | null;

  /** The module's code: a CPython code object or the executor's compiled form. */
  abstract getCode(fullname: string): ModuleCode;

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    await runModuleCode(this.env, this.getCode(this.name), module, ctx);
  }
}
