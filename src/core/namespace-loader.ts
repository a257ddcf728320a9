/** CPython's `NamespaceLoader`: the loader a namespace package gets when its module is created. */
import type { Loader } from "./interfaces.js";
import type { SearchPath } from "./namespace-path.js";

export class NamespaceLoader implements Loader {
  readonly pyType = "NamespaceLoader";
  constructor(readonly path: SearchPath) {}
  isPackage(): boolean {
    return true;
  }
  getSource(): string {
    return "";
  }
  execModule(): void {}
}
