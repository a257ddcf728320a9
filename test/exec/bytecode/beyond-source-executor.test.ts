/**
 * Bytecode CPython compiles that the source executor does not accept or models differently, checked against
 * what CPython itself does (outcomes below were taken from CPython 3.8, 3.11 and 3.13).
 */
import { describe, expect, it } from "vitest";
import { PyBaseException } from "../../../src/core/errors.js";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import { runCode } from "../../../src/exec/bytecode/index.js";
import { fakeModule } from "./support/fake-context.js";
import { compileAll, findPython } from "./support/python.js";
import { strictError, strictNamespace } from "./support/strict-describe.js";

const versions: readonly BytecodeVersion[] = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

async function run(python: string, version: BytecodeVersion, source: string) {
  const [compiled] = compileAll(python, version, [{ source, filename: "/lib/m.py" }]);
  if (compiled === undefined || "error" in compiled) throw new Error(`cannot compile: ${source}`);
  const { module, ctx } = fakeModule("m");
  let error = null;
  try {
    await runCode(compiled.code, module, ctx, version);
  } catch (raised) {
    if (!(raised instanceof PyBaseException)) throw raised;
    error = strictError(raised);
  }
  const names = new Map([...module.dict].filter(([key]) => !key.startsWith("__")));
  return { error, names: strictNamespace(names) };
}

for (const version of versions) {
  const python = findPython(version);
  describe.skipIf(python === null)(`CPython ${version} bytecode beyond the source executor`, () => {
    it("rejects a nested tuple in `except` (check_except_type_valid)", async () => {
      const result = await run(
        python as string,
        version,
        "try:\n    raise ValueError('x')\nexcept (ImportError, (ValueError,)):\n    CAUGHT = 1\n",
      );
      expect(result.error).toMatchObject({
        error: "TypeError",
        message: "catching classes that do not inherit from BaseException is not allowed",
      });
      expect(result.names).toEqual([]);
    });

    it("binds and deletes `global` names", async () => {
      const source = "global A\nA = 1\nB = A\nclass K:\n    global G\n    G = 'g'\n    X = B\ndel A\n";
      const result = await run(python as string, version, source);
      expect(result.error).toBeNull();
      expect(result.names).toEqual([
        ["B", { int: "1" }],
        ["G", "g"],
        [
          "K",
          {
            class: "m.K",
            name: "K",
            attrs: [
              ["__module__", "m"],
              ["X", { int: "1" }],
              ["__doc__", null],
            ],
          },
        ],
      ]);
    });
  });
}
