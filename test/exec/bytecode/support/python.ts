/**
 * Real CPython interpreters for the differential tests: pyenv's 3.8–3.13 (`$PYENV_ROOT/versions/3.X.*`), or a
 * `python3.X` / `python3` on PATH of the right version (CI has only python3 = 3.11). Sources are compiled in
 * one process per interpreter and decoded with the project's marshal decoder.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import type { CodeObject } from "../../../../src/bytecode/index.js";
import { decodeMarshal, layoutForPython, magicForPython } from "../../../../src/bytecode/index.js";
import type { BytecodeVersion } from "../../../../src/exec/bytecode/index.js";

const compileScript = fileURLToPath(new URL("compile_sources.py", import.meta.url));

function versionOf(executable: string): string | null {
  try {
    const out = execFileSync(executable, ["-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.toString().trim();
  } catch {
    return null;
  }
}

function candidates(version: string): string[] {
  const root = process.env.PYENV_ROOT ?? `${homedir()}/.pyenv`;
  const found: string[] = [];
  if (existsSync(`${root}/versions`)) {
    for (const entry of readdirSync(`${root}/versions`).sort()) {
      if (entry.startsWith(`${version}.`)) found.push(`${root}/versions/${entry}/bin/python${version}`);
    }
  }
  return [...found, `/usr/bin/python${version}`, `/usr/local/bin/python${version}`, "python3"];
}

const interpreters = new Map<string, string | null>();

/** An interpreter of CPython `version`, or null when this machine has none. */
export function findPython(version: BytecodeVersion): string | null {
  if (!interpreters.has(version)) {
    const found = candidates(version).find(
      (candidate) => (candidate === "python3" || existsSync(candidate)) && versionOf(candidate) === version,
    );
    interpreters.set(version, found ?? null);
  }
  return interpreters.get(version) ?? null;
}

export interface SourceToCompile {
  readonly source: string;
  readonly filename: string;
}

/** A code object, or the SyntaxError / ValueError text CPython's `compile` raised. */
export type CompileOutcome = { readonly code: CodeObject } | { readonly error: string };

/** Compile every source with `python` (CPython `version`) and decode the marshalled code objects. */
export function compileAll(
  python: string,
  version: BytecodeVersion,
  sources: readonly SourceToCompile[],
): CompileOutcome[] {
  const out = execFileSync(python, ["-I", compileScript], {
    input: JSON.stringify(sources),
    maxBuffer: 256 * 1024 * 1024,
  });
  const results = JSON.parse(out.toString()) as ({ marshal: string } | { error: string })[];
  const layout = layoutForPython(version);
  const marshalVersion = magicForPython(version)?.marshalVersion;
  if (layout === undefined) throw new Error(`no code layout for ${version}`);
  return results.map((result, i): CompileOutcome => {
    if ("error" in result) return result;
    const bytes = Uint8Array.from(Buffer.from(result.marshal, "hex"));
    const { value } = decodeMarshal(bytes, { layout, marshalVersion, filename: sources[i]?.filename });
    return { code: value as CodeObject };
  });
}
