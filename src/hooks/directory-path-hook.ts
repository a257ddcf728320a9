/** CPython's `FileFinder.path_hook`: accepts directories, declining anything else. */
import type { ImportEvents } from "../core/events.js";
import type { FileSystem } from "../core/fs/file-system.js";
import { joinPath } from "../core/fs/file-system.js";
import type { PathHook } from "../core/interfaces.js";
import type { VersionProfile } from "../core/profile.js";
import { DirectoryFinder } from "./directory-finder.js";
import type { FileHookRegistry } from "./file-hook-registry.js";
import type { LocationCache } from "./location-cache.js";

export function directoryPathHook(
  fs: FileSystem,
  fileHooks: FileHookRegistry,
  locations: LocationCache,
  profile: VersionProfile,
  events: ImportEvents,
): PathHook {
  return {
    name: "FileFinder.path_hook",
    createFinder(entry) {
      if (fs.stat(entry)?.kind !== "dir") return null;
      // FileFinder makes a relative entry absolute against the current directory.
      const path =
        entry === "" || entry === "." ? fs.cwd() : entry.startsWith("/") ? entry : joinPath(fs.cwd(), entry);
      return new DirectoryFinder(path, fileHooks, fs, locations, profile, events);
    },
  };
}
