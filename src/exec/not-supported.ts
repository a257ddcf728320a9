/** The one wording of "the scenario executor does not model this", so every refusal names what and where. */
import { NotSupportedError } from "../core/errors.js";

/** `construct` is a short description ("while statement"); `location` is `file:line`. */
export function notSupported(construct: string, location: string): NotSupportedError {
  return new NotSupportedError(`not supported by the scenario executor: ${construct} at ${location}`);
}
