/**
 * The ISL generator: `calc.isl` makes `calc` (client stubs, client-stubs.ts) and `calc__skel` (server
 * skeleton, skeleton.ts). Refuses input with an IslSyntaxError naming the file, line and column.
 */
import { splitPath } from "../../../core/fs/file-system.js";
import type { Generator, GeneratorInput } from "../generator.js";
import { clientModuleSource } from "./client-stubs.js";
import { parseIsl } from "./parse-isl.js";
import { skeletonModuleSource } from "./skeleton.js";

export const islGenerator: Generator = {
  name: "isl",
  version: "1",
  suffixes: [".isl"],
  moduleSuffixes: ["", "__skel"],
  generate(input: GeneratorInput): Readonly<Record<string, string>> {
    const iface = parseIsl(input.bytes, input.path);
    const sourceName = splitPath(input.path)[1]; // `/site/calc.isl`, `lib.zip/calc.isl` → `calc.isl`
    return {
      "": clientModuleSource(iface, { sourceName }),
      __skel: skeletonModuleSource(iface, { sourceName, stem: input.stem, packageName: input.packageName }),
    };
  },
};
