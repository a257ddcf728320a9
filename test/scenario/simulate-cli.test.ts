import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/cli/simulate.js";
import { loadProfile } from "../../src/core/profile.js";

const fixture = (name: string) =>
  new URL(`../fixtures/scenarios/public/${name}.json`, import.meta.url).pathname;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("importkit simulate", () => {
  it("prints one JSON result per scenario, in order, and exits 0", async () => {
    const { out, err, output } = capture();
    const status = await simulate(
      [fixture("rel_sibling_module"), fixture("basic_plain_module")],
      loadProfile(),
      output,
    );
    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out.map((line) => JSON.parse(line).scenario)).toEqual([
      "rel_sibling_module",
      "basic_plain_module",
    ]);
  });

  it("goes on past a malformed file and an unsupported scenario, then exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "importkit-simulate-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "bad", path: [] }));
    const unsupported = join(dir, "unsupported.json");
    writeFileSync(unsupported, JSON.stringify({ name: "u", path: [], steps: [{ run: "X = 1 + 2" }] }));
    const { out, err, output } = capture();
    const status = await simulate([bad, unsupported, fixture("basic_plain_module")], loadProfile(), output);
    expect(status).toBe(1);
    expect(out.map((line) => Object.keys(JSON.parse(line)))).toEqual([
      ["scenario", "unsupported"],
      ["scenario", "steps", "modules"],
    ]);
    expect(err[0]).toBe(`importkit simulate: ${bad}: missing "steps"`);
    expect(err[1]).toMatch(/unsupported\.json: unsupported: /);
  });

  it("runs as a command (src/cli/main.ts), with --profile", async () => {
    const run = promisify(execFile);
    const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      main,
      "simulate",
      "--profile",
      "cpython-3.12",
      fixture("builtin_modules"),
    ]);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).steps[2].error.message).toBe("No module named 'xxsubtype'");
  });
});
