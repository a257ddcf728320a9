/**
 * Code outside the subset fails with exactly `opcode NAME at offset N in FILE is not supported`, naming a
 * real instruction of the code object (checked against the decoder, itself checked against `dis`). Opcodes
 * the runner lacks are refused before the module runs; operands it does not model, when met.
 */
import { describe, expect, it } from "vitest";
import type { BytecodeVersion } from "../../../src/exec/bytecode/index.js";
import { runCode, UnsupportedOpcodeError } from "../../../src/exec/bytecode/index.js";
import { decodeInstructions } from "../../../src/exec/bytecode/instructions.js";
import { opcodeTable } from "../../../src/exec/bytecode/opcode-table.js";
import { ScenarioExecutor } from "../../../src/exec/scenario-executor.js";
import { fakeModule } from "./support/fake-context.js";
import { PrecompiledExecutor, precompile } from "./support/precompiled-executor.js";
import { compileAll, findPython } from "./support/python.js";
import { runWorld } from "./support/run-world.js";

const versions: readonly BytecodeVersion[] = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

/** Sources outside the subset; `ranFirst` is bound only when the refusal comes at run time. */
const outside: readonly { readonly name: string; readonly source: string; readonly ranFirst: boolean }[] = [
  { name: "a loop", source: "A = 1\nfor x in (1, 2):\n    pass\n", ranFirst: false },
  { name: "augmented assignment", source: "A = 1\nA += 1\n", ranFirst: false },
  { name: "attribute assignment", source: "import sys\nA = 1\nsys.x = 1\n", ranFirst: false },
  {
    name: "a loop in a class body",
    source: "A = 1\nclass K:\n    for x in (1, 2):\n        pass\n",
    ranFirst: false,
  },
  { name: "a builtin function", source: "A = 1\nprint('x')\n", ranFirst: true },
  { name: "a complex constant", source: "A = 1\nZ = 2j\n", ranFirst: true },
  { name: "a call in an assignment", source: "A = 1\nF = frozenset()\n", ranFirst: true },
  { name: "a class base", source: "A = 1\nclass K(ValueError):\n    pass\n", ranFirst: true },
];

const MESSAGE = /^opcode (\S+) at offset (\d+) in \/lib\/m\.py is not supported$/;

for (const version of versions) {
  const python = findPython(version);
  describe.skipIf(python === null)(`refusals in CPython ${version} bytecode`, () => {
    for (const { name, source, ranFirst } of outside) {
      it(name, async () => {
        const [compiled] = compileAll(python as string, version, [{ source, filename: "/lib/m.py" }]);
        if (compiled === undefined || "error" in compiled) throw new Error(`cannot compile: ${source}`);
        const { module, ctx } = fakeModule("m");
        const error = await runCode(compiled.code, module, ctx, version, { filename: "/lib/m.py" }).then(
          () => null,
          (raised: unknown) => raised,
        );
        expect(error).toBeInstanceOf(UnsupportedOpcodeError);
        const [, opname, offset] = MESSAGE.exec((error as Error).message) ?? [];
        const codes = [
          compiled.code,
          ...compiled.code.consts.filter((c) => typeof c === "object" && c !== null && "type" in c),
        ];
        const named = codes.some((code) =>
          decodeInstructions((code as typeof compiled.code).code, opcodeTable(version)).instructions.some(
            (instr) => instr.name === opname && instr.offset === Number(offset),
          ),
        );
        expect(named, (error as Error).message).toBe(true);
        expect(module.dict.has("A")).toBe(ranFirst);
      });
    }

    it("names the code object's own file unless the loader passes one", async () => {
      const [compiled] = compileAll(python as string, version, [
        { source: "A = 1\nA += 1\n", filename: "/src/orig.py" },
      ]);
      if (compiled === undefined || "error" in compiled) throw new Error("cannot compile");
      const { module, ctx } = fakeModule("m");
      await expect(runCode(compiled.code, module, ctx, version)).rejects.toThrow(
        / in \/src\/orig\.py is not supported$/,
      );
    });

    it("lets a refusal of an imported module pass through unchanged", async () => {
      const world = {
        name: "nested refusal",
        files: {
          "outer.py": "try:\n    import inner\nexcept ImportError:\n    pass\n",
          "inner.py": "X = 1\nX += 1\n",
        },
        run: "import outer",
      };
      const sources = [...Object.values(world.files), world.run].map((source) => ({
        source,
        filename: "x.py",
      }));
      const executor = new PrecompiledExecutor(
        version,
        precompile(python as string, version, sources),
        new ScenarioExecutor(),
      );
      await expect(runWorld(world, version, executor)).rejects.toThrow(
        /^opcode \S+ at offset \d+ in \/importkit\/scenario-root\/inner\.py is not supported$/,
      );
    });
  });
}
