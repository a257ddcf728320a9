import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pycDump } from "../../src/cli/pyc.js";

const repo = new URL("../..", import.meta.url).pathname;
const fixtureCorpus = join(repo, "test/fixtures/corpus");
const corpus = existsSync(join(fixtureCorpus, "pyc")) ? fixtureCorpus : join(repo, "../shared/corpus");
const haveCorpus = existsSync(join(corpus, "pyc/3.11/ints.pyc"));
const tmp = mkdtempSync(join(tmpdir(), "importkit-pyc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(files: string[], options: Parameters<typeof pycDump>[1] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = pycDump(files, options, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { out, err, status };
}

/** The corpus dump's text without `meta`: exactly what refdecode.py --check compares (compact, ASCII). */
function expectedJson(binary: string): string {
  const text = readFileSync(binary.replace(/\.(pyc|bin)$/, ".json"), "utf8").trimEnd();
  return `{${text.slice(text.indexOf(',"size":') + 1)}`;
}

const VERSIONS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];
const SAMPLES = ["ints", "strings", "floats_complex", "synthetic_consts", "stdlib.textwrap"];

describe.skipIf(!haveCorpus)("importkit pyc dump --json (corpus)", () => {
  for (const version of VERSIONS) {
    it(`matches the CPython ${version} dumps byte for byte`, () => {
      const files = SAMPLES.map((s) => join(corpus, "pyc", version, `${s}.pyc`));
      if (version !== "3.6") files.push(join(corpus, "pyc", version, "floats_complex.checked-hash.pyc"));
      const { out, err, status } = run(files, { json: true });
      expect(err).toEqual([]);
      expect(status).toBe(0);
      expect(out).toEqual(files.map(expectedJson));
    });
  }

  it("reads a raw marshal stream with --raw and the profile's layout (no header key)", () => {
    const blob = join(corpus, "marshal/3.12/values.v4.bin");
    const { out, err, status } = run([blob], { json: true, raw: true, profile: "cpython-3.12" });
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(out).toEqual([expectedJson(blob)]);
    expect(JSON.parse(out[0]!)).not.toHaveProperty("header");
  });

  it("reads 3.14 slices raw with the 3.14 profile, and 3.6 blobs by version", () => {
    const v5 = join(corpus, "marshal/3.14/values.v5.bin");
    const old = join(corpus, "marshal/3.6/handmade.bin");
    expect(run([v5], { json: true, raw: true, profile: "cpython-3.14-pyodide" }).out).toEqual([
      expectedJson(v5),
    ]);
    expect(run([old], { json: true, raw: true, profile: "3.6" }).out).toEqual([expectedJson(old)]);
  });
});

describe.skipIf(!haveCorpus)("importkit pyc dump (readable tree)", () => {
  it("prints the header, then the code objects nested with names, counts, flags, sizes and line ranges", () => {
    const { out, status } = run([join(corpus, "pyc/3.11/functions.pyc")]);
    expect(status).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(
      /^\S+functions\.pyc: \d+ bytes\n {2}header: magic 3495 \(a70d0d0a\) = CPython 3\.11, 16 bytes/,
    );
    expect(text).toMatch(
      /flags 0x0: timestamp; mtime 1700000000 \(2023-11-14T22:13:20Z\); source size \d+ bytes/,
    );
    expect(text).toMatch(/\n {2}code <module> {2}src\/functions\.py {2}lines 1–\d+\n/);
    // nested: a closure's inner function, indented under its parents, with its qualname
    expect(text).toMatch(
      /\n {8}code inner \(qualname outer\.<locals>\.middle\.<locals>\.inner\) {2}src\/functions\.py {2}lines \d+–\d+/,
    );
    expect(text).toMatch(
      /args \d+ \(posonly \d+, kwonly \d+\) {2}nlocals \d+ {2}stacksize \d+ {2}flags 0x3 \(OPTIMIZED\|NEWLOCALS\)/,
    );
    expect(text).toMatch(
      /sizes: code \d+ B, consts \d+, names \d+, localsplus \d+, linetable \d+ B, exceptiontable \d+ B/,
    );
  });

  it("shows a hash-based header and 3.6's 12-byte header", () => {
    const hashed = run([join(corpus, "pyc/3.7/floats_complex.unchecked-hash.pyc")]).out.join("\n");
    expect(hashed).toMatch(/flags 0x1: hash-based, unchecked; source hash [0-9a-f]{16}/);
    const old = run([join(corpus, "pyc/3.6/ints.pyc")]).out.join("\n");
    expect(old).toContain("magic 3379 (330d0d0a) = CPython 3.6, 12 bytes");
    expect(old).toMatch(/\n {2}mtime 1700000000 /);
  });

  it("prints a self-referencing list, which the JSON dump refuses", () => {
    // [ (FLAG_REF) n=2: r 0 (the list itself), i 5
    const file = join(tmp, "cycle.bin");
    writeFileSync(file, Buffer.from("db02000000720000000069050000 00".replace(/ /g, ""), "hex"));
    expect(run([file], { raw: true }).out).toContain("  value: [[...], 5]");
    const json = run([file], { raw: true, json: true });
    expect(json.status).toBe(1);
    expect(json.err).toEqual([
      `importkit pyc dump: ${file}: decoded, but cannot be written as corpus JSON: it holds a reference cycle ` +
        "(a container that holds itself), which the dump format cannot write",
    ]);
  });
});

describe.skipIf(!haveCorpus)("importkit pyc dump errors", () => {
  const good = join(corpus, "pyc/3.11/empty.pyc");

  it("names the file, the offset and the reason in one line, and still dumps the other files", () => {
    const truncated = join(tmp, "truncated.pyc");
    writeFileSync(truncated, readFileSync(join(corpus, "pyc/3.11/ints.pyc")).subarray(0, 100));
    const badMagic = join(tmp, "bad-magic.pyc");
    writeFileSync(badMagic, Buffer.from("00000d0a000000000000000000000000", "hex"));
    const { out, err, status } = run([truncated, good, badMagic], { json: true });
    expect(status).toBe(1);
    expect(err).toEqual([
      `importkit pyc dump: ${truncated}: offset 42: marshal data too short [EOFError]`,
      `importkit pyc dump: ${badMagic}: offset 0: bad magic number in 'bad-magic.pyc': b'\\x00\\x00\\r\\n' [ImportError]`,
    ]);
    expect(out).toEqual([expectedJson(good)]);
  });

  it("exits 1 from the command line, with the message on stderr", () => {
    const truncated = join(tmp, "short.pyc");
    writeFileSync(truncated, readFileSync(good).subarray(0, 10));
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", join(repo, "src/cli/main.ts"), "pyc", "dump", "--json", truncated, good],
      { encoding: "utf8", cwd: repo },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr.trim()).toBe(
      `importkit pyc dump: ${truncated}: offset 0: reached EOF while reading pyc header of 'short.pyc' [EOFError]`,
    );
    expect(cli.stdout.trim()).toBe(expectedJson(good));
  });

  it("reports a file that cannot be read, and an unknown --raw profile", () => {
    const missing = join(tmp, "missing.pyc");
    const { err, status } = run([missing]);
    expect(status).toBe(1);
    expect(err[0]).toMatch(new RegExp(`^importkit pyc dump: ${missing}: cannot read: ENOENT`));
    expect(() => run([good], { raw: true, profile: "cpython-2.7" })).toThrow(/2\.7/);
  });
});
