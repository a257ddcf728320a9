/**
 * The `importkit` command. Each command lives in its own file and registers itself on the program: adding one
 * is one import and one `register…(program)` line. Importing this module runs the program (bin/importkit.js).
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { registerFreeze } from "./freeze.js";
import { registerOverlay } from "./overlay.js";
import { registerPyc } from "./pyc.js";
import { registerResolve } from "./resolve.js";
import { registerSimulate } from "./simulate.js";
import { registerTrace } from "./trace.js";

// package.json sits two levels up from both src/cli/ and dist/cli/.
const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

// `importkit … | head` closes the pipe early: stop quietly, as Unix tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const program = new Command("importkit")
  .description("a faithful model of CPython's import system")
  .version(version)
  .showHelpAfterError();

registerSimulate(program);
registerTrace(program);
registerResolve(program);
registerPyc(program);
registerOverlay(program);
registerFreeze(program);

await program.parseAsync(process.argv);
