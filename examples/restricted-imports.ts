/**
 * Restricted imports, rexec-style: compiled modules (built-in, frozen, extension) only from an allowlist,
 * everything else from source only — no lone `.pyc`, no `__pycache__` read or written.
 * Run: node --import tsx examples/restricted-imports.ts
 */
import { createImportSystem, type ImportSystem, MemFileSystem, PyBaseException } from "../src/index.js";
import { restrictedImports } from "../src/policies/index.js";

const SO = ".cpython-311-x86_64-linux-gnu.so";
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);
const fs = MemFileSystem.fromFiles({
  [`/app/_speedups${SO}`]: ELF, // allowed below
  [`/app/_accel${SO}`]: ELF, // not allowed: its pure-Python twin is used instead
  "/app/_accel.py": "IMPL = 'python'\n",
  "/app/legacy.pyc": new Uint8Array(16), // bytecode without source: never a module here
  "/app/config.py": "DEBUG = False\n",
});

const system = createImportSystem({
  fs,
  plugins: [restrictedImports({ builtins: ["sys"], extensions: ["_speedups"] })],
});
system.path.push("/app");
system.sys.dontWriteBytecode = false; // a plain system would now write __pycache__/config.cpython-311.pyc
system.events.on((event) => {
  if (event.type === "note" && event.message.startsWith("restrictedImports"))
    console.log(`  (${event.message})`);
});

/** Where `name` comes from in `system`, or the exception its import raises. */
async function describe(system: ImportSystem, name: string): Promise<string> {
  try {
    const module = await system.importModule(name);
    return `${module.spec?.origin} ${module.spec?.loaderKind}`;
  } catch (error) {
    if (!(error instanceof PyBaseException)) throw error;
    return `${error.name}: ${error.message}`;
  }
}

for (const name of ["sys", "posix", "zipimport", "_speedups", "_accel", "legacy", "config"]) {
  console.log(`${name} -> ${await describe(system, name)}`);
}
console.log(`__pycache__ written: ${fs.stat("/app/__pycache__") !== undefined}`);
