/**
 * The lone-.pyc policy: a `.pyc` with no `.py` beside it — say, left behind when `legacy.py` was deleted —
 * is a module in CPython (SourcelessFileLoader). With `ignoreLonePyc()` it is not; nothing else changes.
 * Run: node --import tsx examples/ignore-lone-pyc.ts
 */
import { createImportSystem, type ImportSystem, MemFileSystem, PyBaseException } from "../src/index.js";
import { ignoreLonePyc } from "../src/policies/index.js";

// `X = "legacy"` compiled by CPython 3.11 (py_compile): the leftover of a deleted legacy.py.
const LEGACY_PYC = Buffer.from(
  "pw0NCgAAAAAA8VNlDQAAAOMAAAAAAAAAAAAAAAABAAAAAAAAAPMKAAAAlwBkAFoAZAFTACkC2gZsZWdhY3lOKQHaAVipAPMAAAAA" +
    "+gU8cHljPvoIPG1vZHVsZT5yBwAAAAEAAABzDgAAAPADAQEB2AQMgAGAAYABcgUAAAA=",
  "base64",
);
const fs = MemFileSystem.fromFiles({ "/app/legacy.pyc": LEGACY_PYC, "/app/tool.py": "X = 'tool'\n" });

const plain = createImportSystem({ fs });
const policy = createImportSystem({ fs, plugins: [ignoreLonePyc()] });

/** Where `name` comes from in `system`, or the exception its import raises. */
async function describe(system: ImportSystem, name: string): Promise<string> {
  try {
    const module = await system.importModule(name);
    return `${module.spec?.origin} ${module.spec?.loaderKind} X=${module.getAttr("X")}`;
  } catch (error) {
    if (!(error instanceof PyBaseException)) throw error;
    return `${error.name}: ${error.message}`;
  }
}

for (const [label, system] of [
  ["plain", plain],
  ["ignoreLonePyc", policy],
] as const) {
  system.path.push("/app");
  for (const name of ["legacy", "tool"]) console.log(`${label}: ${name} -> ${await describe(system, name)}`);
}
