import { parser } from "@lezer/python";
import { describe, expect, it } from "vitest";
import { pythonParser, strictPythonParser } from "../../src/exec/python-parse.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";

const executor = new ScenarioExecutor();

describe("lezer's Python parser, as importkit drives it", () => {
  // Plain lezer refuses these (its left-associative-runaway guard counts the blank-line skip rule).
  const longModules = {
    "600 statements, a blank line after each": "a = 1\n\n".repeat(600),
    "5000 statements, a comment line after each": "x = 1\n# c\n".repeat(5000),
  };

  it.each(Object.entries(longModules))("parses %s (plain lezer does not)", (_, source) => {
    expect(() => parser.configure({ strict: true }).parse(source)).toThrow(/No parse at/);
    expect(() => strictPythonParser.parse(source)).not.toThrow();
  });

  it("compiles and runs such a module", () => {
    const source = Array.from({ length: 700 }, (_, i) => `v${i} = ${i}\n\n# note\n`).join("");
    const code = executor.compile(source, "/app/long.py");
    expect(code.body).toHaveLength(700);
  });

  it("builds the same trees as plain lezer where both parse", () => {
    const source =
      "import os\nx = [1,\n  2]  # c\n\nclass C:\n    '''d'''\n\n    def f(self, *a, **k):\n        return a + b\n";
    expect(pythonParser.parse(source).toString()).toBe(parser.parse(source).toString());
  });

  it("still guards against runaway left-associative chains", () => {
    expect(() => strictPythonParser.parse(`x = ${"a+".repeat(3000)}a\n`)).toThrow(/No parse at/);
  });
});
