/** Where CPython looks for a module's bytecode cache (`cache_from_source`, `_get_cached`). */
import { joinPath, splitPath } from "./fs/file-system.js";
import type { VersionProfile } from "./profile.js";

/** `importlib.util.cache_from_source(path)` without optimization level; null when the profile has no cache tag. */
export function cacheFromSource(path: string, profile: VersionProfile): string | null {
  if (profile.cacheTag === null) return null;
  const [head, tail] = splitPath(path);
  // tail.rpartition("."): base, sep, rest
  const dot = tail.lastIndexOf(".");
  const base = dot < 0 ? "" : tail.slice(0, dot);
  const sep = dot < 0 ? "" : ".";
  const rest = dot < 0 ? tail : tail.slice(dot + 1);
  const filename = `${base || rest}${sep}${profile.cacheTag}${profile.bytecodeSuffixes[0] ?? ".pyc"}`;
  return joinPath(joinPath(head, "__pycache__"), filename);
}

/** `_get_cached(origin)`: the cache path of a source file, the file itself for bytecode, else null. */
export function cachedPathFor(origin: string, profile: VersionProfile): string | null {
  if (profile.sourceSuffixes.some((s) => origin.endsWith(s))) return cacheFromSource(origin, profile);
  if (profile.bytecodeSuffixes.some((s) => origin.endsWith(s))) return origin;
  return null;
}
