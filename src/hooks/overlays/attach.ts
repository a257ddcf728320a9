/**
 * How loaders give a module its overlays, and importkit's own overlay pycs (module and overlays each in
 * importkit's code format `("importkit", 1, "source", text)`, behind the magic `IK\r\n`).
 */
import {
  buildOverlayPyc,
  encodeMarshal,
  type OverlayName,
  OverlaySyntaxError,
  overlayDirectoryIn,
  splitOverlaySource,
} from "../../bytecode/index.js";
import { SyntaxError_ } from "../../core/errors.js";
import type { ImportContext } from "../../core/interfaces.js";
import type { LoadOverlayOptions, Module } from "../../core/module.js";
import type { PyValue } from "../../core/values.js";
import { PyTuple } from "../../core/values.js";
import { encodeImportkitPyc, type ImportkitPycHeader } from "../importkit-pyc.js";
import type { LoaderEnvironment } from "../loader-environment.js";
import {
  AttachedOverlays,
  type FileOverlayOrigin,
  fromOverlayName,
  type MemberOverlayOrigin,
  type OverlayCodeKind,
  type OverlayOrigin,
} from "./runtime.js";

/** `loadOverlay(module, name)`: 1 = loaded now, 2 = already loaded (see {@link Module.loadOverlay}). */
export function loadOverlay(module: Module, name: PyValue, options: LoadOverlayOptions = {}): Promise<1 | 2> {
  return module.loadOverlay(name, options);
}

/**
 * The overlays of a pyc the loader has read whole (`data`), whose module object ends at `moduleEnd`;
 * undefined when no directory follows it. Parses the names from memory and stats the file once for its
 * identity (the bytes themselves are not kept).
 */
export function fileOverlayOrigin(
  env: LoaderEnvironment,
  data: Uint8Array,
  moduleEnd: number,
  path: string,
  code: OverlayCodeKind,
): FileOverlayOrigin | undefined {
  const names = overlayNames(data, moduleEnd);
  if (names === undefined) return undefined;
  const stat = env.fs.stat(path);
  // A file that no longer has the size read is already not the one the module came from.
  const identity =
    stat !== undefined && stat.size === data.length
      ? { mtimeMs: stat.mtimeMs, size: stat.size, header: data.slice(0, 16) }
      : null;
  return { kind: "file", path, code, names, identity };
}

/**
 * The overlays of a pyc member of a zip archive (`data`, read whole; `path` is zipimport's pathname of it),
 * whose module object ends at `moduleEnd`; undefined when no directory follows it. The bytes are copied,
 * so a member sliced out of the archive's buffer does not keep the whole buffer alive.
 */
export function memberOverlayOrigin(
  data: Uint8Array,
  moduleEnd: number,
  path: string,
  code: OverlayCodeKind,
): MemberOverlayOrigin | undefined {
  const names = overlayNames(data, moduleEnd);
  if (names === undefined) return undefined;
  return { kind: "member", path, code, names, data: data.slice() };
}

/** The overlay names in a pyc's directory, read from memory (once); undefined when there is no well-formed one. */
function overlayNames(data: Uint8Array, moduleEnd: number): OverlayName[] | undefined {
  return overlayDirectoryIn(data, moduleEnd)?.entries.map((entry) => entry.name);
}

/**
 * Give `module` its overlays: `module.overlays`, `__overlays_available__` (names in directory order), and
 * lazy attributes for `('lazy', attr)` overlays (before any `missingAttribute` the module already had).
 */
export function attachOverlays(
  env: LoaderEnvironment,
  module: Module,
  origin: OverlayOrigin,
  ctx: ImportContext,
): AttachedOverlays {
  const overlays = new AttachedOverlays(env, origin, ctx.system);
  module.overlays = overlays;
  module.dict.set("__overlays_available__", new PyTuple([...overlays.names.values()].map(fromOverlayName)));
  const hasLazy = [...overlays.names.values()].some(
    (name) => Array.isArray(name) && name.length === 2 && name[0] === "lazy" && typeof name[1] === "string",
  );
  if (hasLazy) {
    const previous = module.missingAttribute;
    module.missingAttribute = (attr) => overlays.missing(module, attr) ?? previous?.(attr);
  }
  return overlays;
}

/** Sources with `overlay` statements: a cheap test before the real split. */
export function mayHaveOverlays(source: string): boolean {
  return /^[ \t]*overlay\b/m.test(source);
}

/** The module part and overlays of a source; a malformed overlay statement is a Python SyntaxError. */
export function splitSource(source: string, filename: string): ReturnType<typeof splitOverlaySource> {
  try {
    return splitOverlaySource(source, filename);
  } catch (error) {
    if (error instanceof OverlaySyntaxError) throw new SyntaxError_(error.message, { cause: error });
    throw error;
  }
}

/** importkit's code tuple for `text`. */
export function encodeImportkitCode(text: string): Uint8Array {
  return encodeMarshal(["importkit", 1, "source", text], { version: 4, layout: "3.11" });
}

/** An importkit overlay pyc from a module part and its overlays (already split). */
export function importkitOverlayPyc(
  moduleText: string,
  overlays: readonly { readonly name: OverlayName; readonly source: string; readonly line: number }[],
  header: ImportkitPycHeader,
): Uint8Array {
  const plain = encodeImportkitPyc(moduleText, header);
  return buildOverlayPyc({
    header: plain.subarray(0, 16),
    module: plain.subarray(16),
    overlays: overlays.map((o) => ({ name: o.name, code: encodeImportkitCode(o.source) })),
  });
}

/**
 * For the CLI: the importkit overlay pyc of a source with `overlay` statements (a timestamp pyc with
 * `header`'s mtime and size). Throws OverlaySyntaxError for a malformed overlay statement.
 */
export function buildImportkitOverlayPyc(
  source: string,
  filename: string,
  header: { readonly mtime: number; readonly sourceSize: number },
): Uint8Array {
  const { module, overlays } = splitOverlaySource(source, filename);
  return importkitOverlayPyc(module, overlays, {
    hash: null,
    mtime: header.mtime,
    sourceSize: header.sourceSize,
  });
}
