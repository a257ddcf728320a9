/**
 * Writing a generator (docs/generators.md): `.env` files become modules of string constants.
 * Run: node --import tsx examples/env-generator.ts
 */
import { createImportSystem, type Generator, generators, MemFileSystem } from "../src/index.js";

export const envGenerator: Generator = {
  name: "env",
  version: "1", // change it whenever the output for the same input may change
  suffixes: [".env"],
  moduleSuffixes: [""], // one module per file
  generate({ bytes, path }) {
    const lines = new TextDecoder()
      .decode(bytes)
      .split("\n")
      .filter((l) => l.includes("="));
    const body = lines.map((l) => {
      const [key, value] = l.split("=", 2) as [string, string];
      if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) throw new Error(`${path}: bad key ${JSON.stringify(key)}`);
      return `${key} = ${JSON.stringify(value)}\n`;
    });
    return { "": body.join("") };
  },
};

const fs = MemFileSystem.fromFiles({
  "/app/settings.env": "HOST=example.org\nPORT=8080\n",
  "/app/bad.env": "x=1\n",
});
const system = createImportSystem({ fs, plugins: [generators([envGenerator])] });
system.path.push("/app");
const settings = await system.importModule("settings");
console.log(String(settings.getAttr("HOST")), String(settings.getAttr("PORT")), settings.spec?.loaderKind);
try {
  await system.importModule("bad");
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
