/** Lone bytecode files (`.pyc` where the `.py` would be): CPython's `SourcelessFileLoader`. */
import type { FileHook } from "../core/interfaces.js";
import { FileLoader } from "./file-loader.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { type ModuleCode, sourcelessModuleCode } from "./module-code.js";

export class SourcelessFileLoader extends FileLoader {
  readonly pyType = "SourcelessFileLoader";

  /** There is no source. */
  getSource(): null {
    return null;
  }

  getCode(fullname: string): ModuleCode {
    return sourcelessModuleCode(this.env, fullname, this.path);
  }
}

export function sourcelessFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "bytecode",
    suffixes: env.profile.bytecodeSuffixes,
    createLoader: (fullname, path) => new SourcelessFileLoader(fullname, path, env),
  };
}
