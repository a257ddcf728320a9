/**
 * docs/extending.md cannot drift from the examples: every fenced code block in it is either a ```ts block
 * marked `<!-- from examples/X.ts -->` that appears word for word in that example, or a ```text block
 * marked `<!-- output of examples/X.ts -->` that is exactly what the example prints. The examples themselves
 * run in examples.test.ts and module-server.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const DOC = "docs/extending.md";

interface Block {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The marker comment on the line before the fence, if any. */
  readonly marker: string | null;
  readonly text: string;
}

/** The fenced blocks of a Markdown text, each with the comment line just before it. */
function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = "", fence = "", info = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== fence) body.push(lines[j++]!.slice(indent.length));
    if (j === lines.length) throw new Error(`${DOC}:${i + 1}: unclosed code fence`);
    const previous = i > 0 ? lines[i - 1]!.trim() : "";
    blocks.push({
      line: i + 1,
      lang: info.trim(),
      marker: /^<!--.*-->$/.test(previous) ? previous : null,
      text: `${body.join("\n")}\n`,
    });
    i = j;
  }
  return blocks;
}

const blocks = fencedBlocks(readFileSync(new URL(DOC, root), "utf8"));
const quoted = blocks.filter((b) => b.lang === "ts");
const outputs = blocks.filter((b) => b.lang === "text");

/** The example a marker names: `<!-- from examples/X.ts -->` → "examples/X.ts". */
function markedExample(block: Block, kind: "from" | "output of"): string {
  const match = new RegExp(`^<!-- ${kind} (examples/[\\w.-]+\\.ts) -->$`).exec(block.marker ?? "");
  if (match === null) {
    throw new Error(
      `${DOC}:${block.line}: a \`\`\`${block.lang} block must follow <!-- ${kind} examples/NAME.ts --> (found: ${block.marker ?? "nothing"})`,
    );
  }
  const file = match[1]!;
  if (!existsSync(new URL(file, root))) throw new Error(`${DOC}:${block.line}: ${file} does not exist`);
  return file;
}

describe(`${DOC}: code blocks are quoted from examples that run`, () => {
  it("has code blocks of the kinds the check knows, and quotes each of the three examples", () => {
    expect(blocks.filter((b) => b.lang !== "ts" && b.lang !== "text")).toEqual([]);
    const files = new Set(quoted.map((b) => markedExample(b, "from")));
    expect([...files].sort()).toEqual([
      "examples/custom-file-hook.ts",
      "examples/custom-importer.ts",
      "examples/module-server.ts",
    ]);
  });

  it.each(quoted.map((b) => [`line ${b.line}: ${b.text.split("\n")[0]!.trim()}`, b] as const))(
    "the ```ts block at %s appears verbatim in its example",
    (_label, block) => {
      const file = markedExample(block, "from");
      const source = readFileSync(new URL(file, root), "utf8");
      expect(block.text.trim().length).toBeGreaterThan(0);
      if (!source.includes(block.text)) {
        // Name the first line that differs, so the fix is obvious.
        const first = block.text.split("\n").find((line) => line.trim() !== "" && !source.includes(line));
        expect.fail(`${DOC}:${block.line} is not in ${file}; first line not found: ${JSON.stringify(first)}`);
      }
    },
  );

  it.each(outputs.map((b) => [`line ${b.line}`, b] as const))(
    "the ```text block at %s is what its example prints",
    (_label, block) => {
      const file = markedExample(block, "output of");
      const run = spawnSync(process.execPath, ["--import", "tsx", new URL(file, root).pathname], {
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(block.text);
    },
  );
});

describe("the check itself", () => {
  it("finds fences, their language and the marker just before them", () => {
    const found = fencedBlocks(
      [
        "text",
        "<!-- from examples/a.ts -->",
        "```ts",
        "const x = 1;",
        "```",
        "",
        "```",
        "plain",
        "```",
        "",
      ].join("\n"),
    );
    expect(found).toEqual([
      { line: 3, lang: "ts", marker: "<!-- from examples/a.ts -->", text: "const x = 1;\n" },
      { line: 7, lang: "", marker: null, text: "plain\n" },
    ]);
  });

  it("refuses an unmarked block and a marker naming a missing example", () => {
    const [unmarked] = fencedBlocks("```ts\nx\n```\n");
    expect(() => markedExample(unmarked!, "from")).toThrow("must follow <!-- from examples/NAME.ts -->");
    const [missing] = fencedBlocks("<!-- from examples/nope.ts -->\n```ts\nx\n```\n");
    expect(() => markedExample(missing!, "from")).toThrow("examples/nope.ts does not exist");
  });
});
