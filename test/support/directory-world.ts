/** A memfs world with directory finders wired as the default system wires them, for finder tests. */

import { ImportEvents } from "../../src/core/events.js";
import { CountingFileSystem } from "../../src/core/fs/counting-fs.js";
import type { MemFiles } from "../../src/core/fs/mem-fs.js";
import { MemFileSystem } from "../../src/core/fs/mem-fs.js";
import { loadProfile } from "../../src/core/profile.js";
import { SysState } from "../../src/core/sys-state.js";
import { CodeRunner } from "../../src/exec/bytecode/index.js";
import { directoryPathHook } from "../../src/hooks/directory-path-hook.js";
import { extensionFileHook } from "../../src/hooks/extension-file-hook.js";
import { FileHookRegistry } from "../../src/hooks/file-hook-registry.js";
import type { LoaderEnvironment } from "../../src/hooks/loader-environment.js";
import { LocationCache } from "../../src/hooks/location-cache.js";
import { sourceFileHook } from "../../src/hooks/source-file-hook.js";
import { sourcelessFileHook } from "../../src/hooks/sourceless-file-hook.js";
import { PathFinder } from "../../src/importers/path-finder.js";
import { noExecutor } from "./function-importer.js";

export const MTIME = 1_700_000_000;

export function directoryWorld(files: MemFiles, options: { racyWindowMs?: number } = {}) {
  const mem = MemFileSystem.fromFiles(files, "/w");
  setAllMtimes(mem, "/w");
  const fs = new CountingFileSystem(mem);
  const profile = loadProfile("cpython-3.11");
  const sys = new SysState();
  const events = new ImportEvents();
  const env: LoaderEnvironment = {
    fs,
    executor: noExecutor,
    bytecode: new CodeRunner(),
    profile,
    sys,
    events,
  };
  const fileHooks = new FileHookRegistry([
    extensionFileHook(env),
    sourceFileHook(env),
    sourcelessFileHook(env),
  ]);
  const locations = new LocationCache(fs, options.racyWindowMs ?? 50);
  sys.pathHooks = [directoryPathHook(fs, fileHooks, locations, profile, events)];
  const pathFinder = new PathFinder(sys, fs, events);
  return { mem, fs, sys, events, fileHooks, locations, pathFinder, profile };
}

/** Every file and directory below `dir` gets the scenario default mtime (as the scenario harness does). */
export function setAllMtimes(mem: MemFileSystem, dir: string, mtime = MTIME): void {
  for (const entry of mem.readdir(dir) ?? []) {
    const path = `${dir}/${entry.name}`;
    if (entry.kind === "dir") setAllMtimes(mem, path, mtime);
    else mem.utimes(path, mtime);
  }
  mem.utimes(dir, mtime);
}

/** Write a file without letting its directory's mtime move (the scenario harness's `write` step). */
export function writeKeepingMtimes(mem: MemFileSystem, path: string, text: string): void {
  mem.writeFile(path, new TextEncoder().encode(text));
  setAllMtimes(mem, "/w");
}
