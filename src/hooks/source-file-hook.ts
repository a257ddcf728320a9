/** Source modules (`.py`): CPython's `SourceFileLoader`. */
import { cacheFromSource } from "../core/cache-path.js";
import { NotSupportedError, SyntaxError_ } from "../core/errors.js";
import type { FileHook, ImportContext, Loader } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { LoaderEnvironment } from "./loader-environment.js";
import { isInitFile, readFileData } from "./loader-environment.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

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

  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    const { fs, profile, sys, executor } = this.env;
    // CPython reads the bytecode cache before the source; until bytecode is modelled, say so rather than
    // silently running source where CPython might run a (possibly stale but trusted) cache.
    const cached = cacheFromSource(this.path, profile);
    if (cached !== null && fs.stat(cached)?.kind === "file") {
      throw new NotSupportedError(`reading bytecode cache files is not supported yet (issue #3): ${cached}`);
    }
    const source = this.getSource();
    const code = executor.compile(source, this.path);
    if (!sys.dontWriteBytecode) {
      throw new NotSupportedError(
        `writing bytecode cache files is not supported yet (issue #3): ${cached ?? this.path}`,
      );
    }
    await executor.exec(code, module, ctx);
  }
}

/** CPython's `decode_source`: UTF-8 (a BOM is dropped), universal newlines. */
export function decodeSource(data: Uint8Array, path: string): string {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new SyntaxError_(`(unicode error) 'utf-8' codec can't decode the source of ${path}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const cookie = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/m.exec(text.split("\n", 2).join("\n"));
  if (cookie && !/^(utf-?8|utf_8)(-|_|$)/i.test(cookie[1]!)) {
    throw new NotSupportedError(`source encoding '${cookie[1]}' is not supported (only UTF-8): ${path}`);
  }
  return text.replace(/\r\n?/g, "\n");
}

export function sourceFileHook(env: LoaderEnvironment): FileHook {
  return {
    name: "source",
    suffixes: env.profile.sourceSuffixes,
    createLoader: (fullname, path) => new SourceFileLoader(fullname, path, env),
  };
}
