/**
 * Lone bytecode files (`.pyc` where the `.py` would be): found exactly as CPython finds them, so lookups
 * agree; loading them needs the bytecode layer (issue #3) and fails loudly until then.
 */
import { NotSupportedError } from "../core/errors.js";
import type { FileHook, Loader } from "../core/interfaces.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { isInitFile } from "./loader-environment.js";

export class SourcelessFileLoader implements Loader {
  readonly pyType = "SourcelessFileLoader";

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}

  isPackage(fullname: string): boolean {
    return isInitFile(fullname, this.path);
  }

  getFilename(): string {
    return this.path;
  }

  execModule(): never {
    throw new NotSupportedError(`loading .pyc files is not supported yet (issue #3): ${this.path}`);
  }
}

export function sourcelessFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "bytecode",
    suffixes: env.profile.bytecodeSuffixes,
    createLoader: (fullname, path) => new SourcelessFileLoader(fullname, path),
  };
}
