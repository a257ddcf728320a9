/** CPython's `spec_from_file_location`, as the file finders call it. */
import type { Loader } from "../core/interfaces.js";
import type { VersionProfile } from "../core/profile.js";
import { ModuleSpec } from "../core/spec.js";
import { PyList } from "../core/values.js";

export function specFromFileLocation(
  name: string,
  location: string,
  loader: Loader,
  searchLocations: readonly string[] | null,
  profile: VersionProfile,
): ModuleSpec {
  return new ModuleSpec(name, loader, {
    origin: location,
    hasLocation: true,
    // Derived when first read, as CPython's `ModuleSpec.cached` is: a find nobody asks it of costs no path work.
    cachedProfile: profile,
    submoduleSearchLocations: searchLocations === null ? null : new PyList([...searchLocations]),
  });
}
