/** `importkit overlay build|list|load` (issue #4): the functions behind the commands, and the binary once. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OverlaySyntaxError, readPycHeader } from "../../src/bytecode/index.js";
import {
  loadLines,
  OverlayCommandError,
  overlayBuild,
  overlayDirectoryOf,
  overlayList,
  overlayLoad,
  problemText,
} from "../../src/cli/overlay.js";
import { OverlayNameArgError, parseOverlayNameArg } from "../../src/cli/overlay-name-arg.js";
import { OverlayError } from "../../src/hooks/overlays/index.js";

const python = process.env.PYTHON || "python3";
const havePython = spawnSync(python, ["-I", "-S", "-c", "pass"]).status === 0;
const bin = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

const SOURCE = `A = 1
overlay more
B = 2
A = 'one'
overlay ('lazy', 'c')
c = [1, 2]
`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "importkit-overlay-cli-"));
  mkdirSync(join(work, "src"));
  writeFileSync(join(work, "src", "mod.py"), SOURCE);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("overlay NAME arguments", () => {
  it("parse as Python constants", () => {
    expect(parseOverlayNameArg("extras")).toBe("extras");
    expect(parseOverlayNameArg("'two words'")).toBe("two words");
    expect(parseOverlayNameArg('"q\\x41\\n"')).toBe("qA\n");
    expect(parseOverlayNameArg("7")).toBe(7);
    expect(parseOverlayNameArg("-0x10")).toBe(-16);
    expect(parseOverlayNameArg("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(parseOverlayNameArg("('lazy', 'x')")).toEqual(["lazy", "x"]);
    expect(parseOverlayNameArg("(1,)")).toEqual([1]);
    expect(parseOverlayNameArg("()")).toEqual([]);
    expect(parseOverlayNameArg("((1, 'a'), b)")).toEqual([[1, "a"], "b"]);
    expect(parseOverlayNameArg("(5)")).toBe(5);
  });

  it("reject what is no constant", () => {
    for (const bad of ["", "1.5", "a b", "(1", "'open", "07", "x.y", "(1 2)"])
      expect(() => parseOverlayNameArg(bad), bad).toThrow(OverlayNameArgError);
  });
});

describe("importkit's own format (no --python)", () => {
  it("builds, lists and loads", async () => {
    const output = join(work, "ik", "mod.pyc");
    mkdirSync(join(work, "ik"), { recursive: true });
    const built = overlayBuild(join(work, "src", "mod.py"), { output });
    expect(built.format).toBe("importkit");
    expect(built.overlays).toEqual(["more", ["lazy", "c"]]);
    const bytes = readFileSync(output);
    expect([...bytes.subarray(0, 4)]).toEqual([0x49, 0x4b, 0x0d, 0x0a]);

    const listing = overlayDirectoryOf(output);
    expect(listing.map((e) => e.repr)).toEqual(["'more'", "('lazy', 'c')"]);
    expect(listing[0]!.offset + listing[0]!.size).toBe(listing[1]!.offset);
    const json = overlayList(output, { json: true }).map((line) => JSON.parse(line));
    expect(json).toEqual(listing.map((e) => ({ name: e.repr, offset: e.offset, size: e.size })));
    expect(overlayList(output, {})[0]).toBe(`${output}: 2 overlay(s)`);

    const loaded = await overlayLoad(output, "more");
    expect(loaded.result).toBe(1);
    expect(loaded.added).toEqual(["B", "__overlays__"]);
    expect(loaded.changed).toEqual(["A"]);
    expect(loaded.reads).toBeLessThanOrEqual(2);
    expect(JSON.parse(loadLines(loaded, { json: true })[0]!)).toEqual({
      name: "'more'",
      result: 1,
      added: ["B", "__overlays__"],
      changed: ["A"],
      reads: loaded.reads,
    });
    expect(loadLines(loaded, {})).toContain("    A = 'one'");
  });

  it("reports an unknown overlay as OverlayError, a bad statement as OverlaySyntaxError", async () => {
    const output = join(work, "ik", "mod.pyc");
    const error = await overlayLoad(output, "nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverlayError);
    expect(problemText(error)).toBe("OverlayError: module 'mod' has no overlay 'nope'");
    writeFileSync(join(work, "src", "bad.py"), "A = 1\noverlay __reserved\nB = 2\n");
    expect(() => overlayBuild(join(work, "src", "bad.py"), { output: join(work, "ik", "bad.pyc") })).toThrow(
      OverlaySyntaxError,
    );
    await expect(overlayLoad(join(work, "src", "mod.py"), "more")).rejects.toThrow(OverlayCommandError);
  });
});

describe.skipIf(!havePython)(`--python ${python}`, () => {
  it("writes CPython's magic and a timestamp header for the source's mtime and size", async () => {
    const output = join(work, "cp", "mod.pyc");
    mkdirSync(join(work, "cp"), { recursive: true });
    const built = overlayBuild(join(work, "src", "mod.py"), { output, python });
    expect(built.format).toMatch(/^CPython 3\.\d+$/);
    const header = readPycHeader(readFileSync(output));
    expect(header.ok).toBe(true);
    if (header.ok) expect(header.header).toMatchObject({ sourceSize: SOURCE.length });
    const loaded = await overlayLoad(output, "('lazy', 'c')");
    expect(loaded).toMatchObject({ result: 1, added: ["c", "__overlays__"], changed: [] });
  });

  it("reports CPython's SyntaxError in a part", () => {
    writeFileSync(join(work, "src", "syn.py"), "A = 1\noverlay x\nB = = 2\n");
    expect(() =>
      overlayBuild(join(work, "src", "syn.py"), { output: join(work, "syn.pyc"), python }),
    ).toThrow(/SyntaxError in overlay part 1/);
  });

  it("runs as `importkit overlay …`", () => {
    const output = join(work, "cp", "mod.pyc");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", bin, "overlay", ...args], { encoding: "utf8" });
    const list = run("list", "--json", output);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split("\n")).toHaveLength(2);
    const load = run("load", "--json", output, "more");
    expect(load.status).toBe(0);
    expect(JSON.parse(load.stdout)).toMatchObject({
      name: "'more'",
      result: 1,
      added: ["B", "__overlays__"],
    });
    const missing = run("load", output, "nope");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("importkit overlay: OverlayError: module 'mod' has no overlay 'nope'\n");
  });
});
