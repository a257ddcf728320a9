/** Source modules (`.py`): CPython's `SourceFileLoader`. */
import type { FileHook } from "../core/interfaces.js";
import { FileLoader } from "./file-loader.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { readFileData } from "./loader-environment.js";
import { type ModuleCode, sourceModuleCode } from "./module-code.js";
import { decodeSource } from "./source-text.js";

export { decodeSource };

export class SourceFileLoader extends FileLoader {
  readonly pyType = "SourceFileLoader";

  getSource(): string {
    return decodeSource(readFileData(this.env, this.path), this.path);
  }

  getCode(fullname: string): ModuleCode {
    return sourceModuleCode(this.env, fullname, this.path);
  }
}

export function sourceFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "source",
    suffixes: env.profile.sourceSuffixes,
    createLoader: (fullname, path) => new SourceFileLoader(fullname, path, env),
  };
}
