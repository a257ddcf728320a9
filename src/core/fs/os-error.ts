/** A file-system failure as the OSError Python raises for it (`open()`, `FileIO.read`). */
import { FileNotFoundError, OSError } from "../errors.js";
import { pyRepr } from "../values.js";
import type { FileSystemError } from "./file-system.js";

export function osErrorFor(error: FileSystemError, path: string): OSError {
  if (error.code === "ENOENT") {
    return new FileNotFoundError(`[Errno 2] No such file or directory: ${pyRepr(path)}`, {
      errno: 2,
      filename: path,
      cause: error,
    });
  }
  return new OSError(`[Errno ?] ${error.code}: ${pyRepr(path)}`, { filename: path, cause: error });
}
