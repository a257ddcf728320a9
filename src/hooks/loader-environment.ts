/** What file loaders need from the system they load into. */

import type { CodeObject } from "../bytecode/index.js";
import type { ImportEvents } from "../core/events.js";
import type { FileSystem } from "../core/fs/file-system.js";
import { FileSystemError } from "../core/fs/file-system.js";
import { osErrorFor } from "../core/fs/os-error.js";
import type { Executor, ImportContext } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { VersionProfile } from "../core/profile.js";
import type { SysState } from "../core/sys-state.js";
import type { ModuleCode } from "./module-code.js";

/** Runs CPython code objects (from pycs) in a module (see src/exec/bytecode). */
export interface BytecodeRunner {
  run(
    code: CodeObject,
    module: Module,
    ctx: ImportContext,
    version: string,
    options?: { filename?: string },
  ): Promise<void>;
}

export interface LoaderEnvironment {
  readonly fs: FileSystem;
  readonly executor: Executor;
  readonly bytecode: BytecodeRunner;
  readonly profile: VersionProfile;
  readonly sys: SysState;
  readonly events: ImportEvents;
  /**
   * Told the code of every module just before it runs (e.g. by `freeze`, to snapshot it). Empty or absent
   * for the usual import, which then pays nothing.
   */
  readonly codeObservers?: ModuleCodeObserver[];
}

/** Sees a module (its spec and dunders set) and the code about to run in it. */
export type ModuleCodeObserver = (module: Module, code: ModuleCode) => void;

/** Read a whole file as CPython's `FileLoader.get_data` does: a failure is the OSError CPython raises. */
export function readFileData(env: LoaderEnvironment, path: string): Uint8Array {
  try {
    const data = env.fs.readFile(path);
    if (env.events.active) env.events.emit({ type: "read", path, bytes: data.length });
    return data;
  } catch (error) {
    if (error instanceof FileSystemError) throw osErrorFor(error, path);
    throw error;
  }
}

/** `_LoaderBasics.is_package`: a file named `__init__.*` makes a package (unless the module is itself `__init__`). */
export function isInitFile(fullname: string, path: string): boolean {
  const filename = path.slice(path.lastIndexOf("/") + 1);
  const dot = filename.lastIndexOf(".");
  const base = dot < 0 ? filename : filename.slice(0, dot);
  return base === "__init__" && fullname.slice(fullname.lastIndexOf(".") + 1) !== "__init__";
}
