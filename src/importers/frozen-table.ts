/**
 * Modules whose code is built into the program: CPython's `PyImport_FrozenModules`, with importkit's code
 * format. The frozen importer serves them (spec origin "frozen", loader FrozenImporter) and runs their code.
 * `importkit freeze --format ts` writes a TypeScript module holding such definitions as constants.
 *
 * As in CPython 3.11's `look_up_frozen`, the bootstrap modules cannot be replaced, and a registered module
 * is found before a frozen standard-library module of the same name.
 */
import { ImportError } from "../core/errors.js";
import { pyRepr } from "../core/values.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import type { ModuleCode } from "../hooks/module-code.js";
import { compileSourceText } from "../hooks/module-code.js";
import { CodeBytesError, decodeModuleCode } from "../snapshot/code-bytes.js";

/** A frozen module's code: executor code or a CPython code object as base64 bytes, or source to compile. */
export type FrozenCode =
  | {
      readonly kind: "executor";
      /** The executor code format's name and version (the running executor must read exactly that). */
      readonly format: string;
      readonly formatVersion: number;
      readonly filename: string;
      readonly base64: string;
    }
  | { readonly kind: "cpython"; readonly python: string; readonly filename: string; readonly base64: string }
  | { readonly kind: "source"; readonly source: string; readonly filename: string };

export interface FrozenModuleDefinition {
  /** The dotted module name. */
  readonly name: string;
  readonly isPackage?: boolean;
  /** `__file__` (3.11+, from `loader_state.filename`): where its source would be; none when absent or null. */
  readonly filename?: string | null;
  /** A package's `__path__` (default []). */
  readonly path?: readonly string[];
  readonly code: FrozenCode;
}

/** CPython 3.11+'s `_PyImport_FrozenBootstrap`: always the interpreter's own. */
const BOOTSTRAP = new Set(["_frozen_importlib", "_frozen_importlib_external", "zipimport"]);

export class FrozenTable {
  private readonly modules = new Map<string, FrozenModuleDefinition>();

  /** Add modules; a bad name, a bootstrap name or a name given twice is an error naming it. */
  register(definitions: readonly FrozenModuleDefinition[]): this {
    for (const definition of definitions) {
      const { name } = definition;
      if (typeof name !== "string" || name.split(".").some((part) => part === ""))
        throw new ImportError(`frozen module name ${pyRepr(String(name))} is not a module name`);
      if (BOOTSTRAP.has(name))
        throw new ImportError(`frozen module ${pyRepr(name)} is a bootstrap module and cannot be replaced`, {
          name,
        });
      if (this.modules.has(name))
        throw new ImportError(`frozen module ${pyRepr(name)} is registered twice`, { name });
      this.modules.set(name, definition);
    }
    return this;
  }

  get(name: string): FrozenModuleDefinition | undefined {
    return this.modules.get(name);
  }

  get names(): readonly string[] {
    return [...this.modules.keys()];
  }

  /** The code of a registered module, decoded (or compiled) now; bad code is an ImportError naming it. */
  codeOf(definition: FrozenModuleDefinition, env: LoaderEnvironment): ModuleCode {
    const { code, name } = definition;
    if (code.kind === "source") return compileSourceText(env, code.source, code.filename);
    const format = env.executor.codeFormat;
    if (code.kind === "executor" && (format?.name !== code.format || format.version !== code.formatVersion)) {
      const running = format === undefined ? "no code format" : `${format.name} v${format.version}`;
      throw new ImportError(
        `frozen module ${pyRepr(name)} holds ${code.format} v${code.formatVersion} code; the executor reads ${running}`,
        { name },
      );
    }
    const bytes = Buffer.from(code.base64, "base64");
    const kind =
      code.kind === "executor"
        ? { kind: "executor" as const, filename: code.filename }
        : { kind: "cpython" as const, filename: code.filename, version: code.python };
    try {
      return decodeModuleCode(kind, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), format);
    } catch (error) {
      if (!(error instanceof CodeBytesError)) throw error;
      throw new ImportError(`frozen module ${pyRepr(name)} has bad code: ${error.reason}`, {
        name,
        cause: error,
      });
    }
  }
}
