/**
 * A file hook for a generator (see generator.ts): a file `calc.isl` in a directory or an archive makes the
 * modules `calc` and `calc__skel`. The generator runs once per version of a file; its output is kept in
 * memory (by the file's exact stamp) and, for files in directories, in `__pycache__` when bytecode is
 * written (generated-cache-file.ts), and is made again when the file changes. Each module's compiled code
 * is kept beside its source, so importing a module again compiles nothing.
 *
 * A generator that throws makes the import raise ImportError naming the module and the file, with the
 * generator's error as the cause; the module is not left in `sys.modules` (the loader fails in exec, as
 * any loader's failure is handled).
 */
import { ImportError } from "../../core/errors.js";
import { splitPath } from "../../core/fs/file-system.js";
import type { ArchiveMember, CompiledCode, FileHook, ImportContext, Loader } from "../../core/interfaces.js";
import type { Module } from "../../core/module.js";
import { pyRepr } from "../../core/values.js";
import type { LoaderEnvironment } from "../loader-environment.js";
import { readFileData } from "../loader-environment.js";
import { cacheBytecode, readIfPresent, runModuleCode } from "../module-code.js";
import { mtimeSeconds } from "../pyc-validation.js";
import { decodeGeneratedCache, encodeGeneratedCache, generatedCachePath } from "./generated-cache-file.js";
import type { Generator } from "./generator.js";

/** What a file's output is kept by: mtime (ms where the file system has it), size, and a content tag. */
interface Stamp {
  readonly mtimeMs: number;
  readonly size: number;
  /** An archive member's CRC-32 (DOS times have 2 s steps and reproducible builds share one); 0 on disk. */
  readonly tag: number;
}

/** One input file as the hook sees it: a directory's file or an archive member. */
interface InputFile {
  readonly path: string;
  stamp(): Stamp | undefined;
  read(): Uint8Array;
  /** Whether `__pycache__` applies (files in directories). */
  readonly onDisk: boolean;
}

/** What one version of an input produced: every module's source, and code compiled on first use. */
interface Generated {
  readonly stamp: Stamp;
  readonly sources: Readonly<Record<string, string>>;
  readonly compiled: Map<string, CompiledCode>;
}

export class GeneratorFileHook implements FileHook {
  readonly name: string;
  readonly suffixes: readonly string[];
  readonly moduleSuffixes: readonly string[];
  /**
   * By input path and package name (a generator may write relative imports: the same file reached as
   * `calc` and as `pkg.calc` makes different modules): the latest output.
   */
  private readonly outputs = new Map<string, Generated>();

  constructor(
    readonly generator: Generator,
    private readonly env: LoaderEnvironment,
  ) {
    if (!generator.moduleSuffixes.includes("")) {
      throw new Error(
        `generator '${generator.name}': moduleSuffixes must include "" (the file's own module)`,
      );
    }
    this.name = generator.name;
    this.suffixes = generator.suffixes;
    this.moduleSuffixes = generator.moduleSuffixes;
  }

  createLoader(fullname: string, path: string): Loader {
    const fs = this.env.fs;
    return new GeneratedModuleLoader(fullname, this, {
      path,
      stamp: () => {
        const stat = fs.stat(path);
        return stat && { mtimeMs: stat.mtimeMs, size: stat.size, tag: 0 };
      },
      read: () => readFileData(this.env, path),
      onDisk: true,
    });
  }

  createMemberLoader(fullname: string, member: ArchiveMember): Loader {
    return new GeneratedModuleLoader(fullname, this, {
      path: member.path,
      stamp: () => ({ mtimeMs: member.mtime * 1000, size: member.size, tag: member.crc32 ?? 0 }),
      read: () => member.read(),
      onDisk: false,
    });
  }

  /** The stem of the input file and the module suffix `fullname` takes from it. */
  variantOf(fullname: string, file: InputFile): { stem: string; moduleSuffix: string } {
    const tail = fullname.slice(fullname.lastIndexOf(".") + 1);
    const [, base] = splitPath(file.path);
    const suffix = this.suffixes.find((s) => base.endsWith(s)) ?? "";
    const stem = base.slice(0, base.length - suffix.length);
    const moduleSuffix = tail.startsWith(stem) ? tail.slice(stem.length) : "";
    return { stem, moduleSuffix: stem === "__init__" ? "" : moduleSuffix };
  }

  /** The generated source of `fullname`, generating (or reading the cache) when the file changed. */
  sourceFor(fullname: string, file: InputFile): { text: string; output: Generated } {
    const { stem, moduleSuffix } = this.variantOf(fullname, file);
    const output = this.outputFor(fullname, file, stem, packageOf(fullname, stem === "__init__"));
    const text = output.sources[moduleSuffix];
    if (typeof text !== "string") {
      throw new ImportError(
        `generator '${this.name}' made no module '${fullname}' from ${pyRepr(file.path)} ` +
          `(it made: ${Object.keys(output.sources)
            .map((s) => stem + s)
            .join(", ")})`,
        { name: fullname, path: file.path },
      );
    }
    return { text, output };
  }

  private outputFor(fullname: string, file: InputFile, stem: string, packageName: string): Generated {
    const stamp = file.stamp();
    if (stamp === undefined) {
      throw new ImportError(`cannot generate ${pyRepr(fullname)}: ${pyRepr(file.path)} is gone`, {
        name: fullname,
        path: file.path,
      });
    }
    const key = `${file.path}\0${packageName}`;
    const known = this.outputs.get(key);
    if (
      known !== undefined &&
      known.stamp.mtimeMs === stamp.mtimeMs &&
      known.stamp.size === stamp.size &&
      known.stamp.tag === stamp.tag
    ) {
      this.note(`generated modules of ${file.path} reused from memory`);
      return known;
    }
    const { env } = this;
    const identity = { name: this.generator.name, version: this.generator.version, packageName };
    const diskStamp = { mtime: mtimeSeconds(stamp.mtimeMs), size: stamp.size };
    const cachePath = file.onDisk ? generatedCachePath(file.path, env.profile) : null;
    if (cachePath !== null) {
      const data = readIfPresent(env, cachePath);
      const sources = data && decodeGeneratedCache(data, identity, diskStamp, cachePath);
      // A cache lacking one of the modules is stale too (another generator build wrote it).
      if (sources && this.moduleSuffixes.every((s) => typeof sources[s] === "string")) {
        this.note(`generated modules of ${file.path} read from ${cachePath}`);
        return this.remember(key, stamp, sources);
      }
    }
    const bytes = file.read();
    const sources = this.generate(fullname, file.path, bytes, stem, packageName);
    this.note(`generator '${this.name}' ran on ${file.path} (${bytes.length} bytes)`);
    if (cachePath !== null && !env.sys.dontWriteBytecode) {
      cacheBytecode(env, cachePath, encodeGeneratedCache(identity, diskStamp, sources));
    }
    return this.remember(key, stamp, sources);
  }

  private generate(
    fullname: string,
    path: string,
    bytes: Uint8Array,
    stem: string,
    packageName: string,
  ): Readonly<Record<string, string>> {
    let sources: Readonly<Record<string, string>>;
    try {
      sources = this.generator.generate({ bytes, path, stem, packageName });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportError(`cannot generate ${pyRepr(fullname)} from ${pyRepr(path)}: ${reason}`, {
        name: fullname,
        path,
        cause: error,
      });
    }
    if (typeof sources !== "object" || sources === null) {
      throw new ImportError(
        `generator '${this.name}' returned ${sources === null ? "null" : typeof sources} for ${pyRepr(path)}, ` +
          "not the modules' sources",
        { name: fullname, path },
      );
    }
    const missing = this.moduleSuffixes.filter((s) => typeof sources[s] !== "string");
    if (missing.length > 0) {
      throw new ImportError(
        `generator '${this.name}' gave no source for ${missing.map((s) => pyRepr(stem + s)).join(", ")} ` +
          `from ${pyRepr(path)}`,
        { name: fullname, path },
      );
    }
    return sources;
  }

  private remember(key: string, stamp: Stamp, sources: Readonly<Record<string, string>>): Generated {
    const output = { stamp, sources, compiled: new Map() };
    this.outputs.set(key, output);
    return output;
  }

  private note(message: string): void {
    if (this.env.events.active) this.env.events.emit({ type: "note", message });
  }

  /** Compile a generated module once per output. */
  codeFor(fullname: string, file: InputFile): CompiledCode {
    const { text, output } = this.sourceFor(fullname, file);
    let code = output.compiled.get(fullname);
    if (code === undefined) {
      code = this.env.executor.compile(text, file.path);
      output.compiled.set(fullname, code);
    }
    return code;
  }

  run(code: CompiledCode, module: Module, ctx: ImportContext): Promise<void> {
    return runModuleCode(this.env, { kind: "executor", code }, module, ctx);
  }
}

/** Loads one generated module (CPython has no such loader: named for what it is). */
export class GeneratedModuleLoader implements Loader {
  readonly pyType = "GeneratedModuleLoader";

  constructor(
    readonly name: string,
    private readonly hook: GeneratorFileHook,
    private readonly file: InputFile,
  ) {}

  isPackage(fullname: string): boolean {
    return this.hook.variantOf(fullname, this.file).stem === "__init__" && !fullname.endsWith(".__init__");
  }

  getFilename(): string {
    return this.file.path;
  }

  /** The generated Python source (what `inspect.getsource` would show). */
  getSource(fullname: string = this.name): string {
    return this.hook.sourceFor(fullname, this.file).text;
  }

  getCode(fullname: string = this.name): CompiledCode {
    return this.hook.codeFor(fullname, this.file);
  }

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    await this.hook.run(this.getCode(this.name), module, ctx);
  }

  toString(): string {
    return `<GeneratedModuleLoader ${pyRepr(this.name)} from ${pyRepr(this.file.path)} (${this.hook.name})>`;
  }
}

/** The file hook for `generator`. */
export function generatorFileHook(generator: Generator, env: LoaderEnvironment): GeneratorFileHook {
  return new GeneratorFileHook(generator, env);
}

/** The package generated modules belong to: the package itself for its `__init__` file, else the parent. */
function packageOf(fullname: string, isPackageFile: boolean): string {
  if (isPackageFile) return fullname;
  const dot = fullname.lastIndexOf(".");
  return dot < 0 ? "" : fullname.slice(0, dot);
}
