/**
 * The contract of a generator: a file kind that is turned into Python modules instead of being one, as the
 * 1999 import redesign's ILU stubber turns `foo.isl` into the modules `foo` (client stubs) and `foo__skel`
 * (server skeleton). A generator is pure: bytes in, module sources out. The generator file hook
 * (generator-file-hook.ts) finds the files, runs the generator once per version of a file, caches its output
 * (in memory, and in `__pycache__` where bytecode is written) and loads the modules.
 */

/** What a generator is given: one input file and where it sits. */
export interface GeneratorInput {
  /** The file's bytes (a directory's file, or an archive member, inflated). */
  readonly bytes: Uint8Array;
  /** The file's path (`/site/calc.isl`, or `lib.zip/calc.isl` inside an archive): name it in errors. */
  readonly path: string;
  /** The file name without its suffix: `calc` for `calc.isl`. */
  readonly stem: string;
  /** The package the generated modules belong to (`""` at top level): `pkg` for `pkg/calc.isl`. */
  readonly packageName: string;
}

export interface Generator {
  /** A short name for traces, cache file names and configuration ("isl"). */
  readonly name: string;
  /** Changes whenever the output for the same input may change: caches made by another version are stale. */
  readonly version: string;
  /** The file suffixes it reads, in priority order ([".isl"]). */
  readonly suffixes: readonly string[];
  /**
   * The modules one file makes, as suffixes of the file's stem: `["", "__skel"]` makes `calc` and
   * `calc__skel` from `calc.isl`. The first is the file's own module; `""` must be among them.
   */
  readonly moduleSuffixes: readonly string[];
  /**
   * Python source for every module the file makes, keyed by module suffix (every one of `moduleSuffixes`).
   * Called once per version of a file. Throw to refuse the input: the import raises ImportError naming the
   * file, with the thrown error as its cause.
   */
  generate(input: GeneratorInput): Readonly<Record<string, string>>;
}
