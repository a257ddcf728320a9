/**
 * CPython 3.14 module code, written out by hand as 3.14 compiles it (no 3.14 interpreter is installed here;
 * the corpus tests run real 3.14 pycs): every instruction form the subset needs in 3.14 (LOAD_SMALL_INT,
 * CALL_INTRINSIC_1 import-star, LOAD_BUILD_CLASS + PUSH_NULL + CALL, MAKE_FUNCTION + SET_FUNCTION_ATTRIBUTE,
 * the `__classdict__` cell of a class with a method, exception-table handlers with NOT_TAKEN) against the
 * source executor running the source it stands for.
 */
import { describe, expect, it } from "vitest";
import type { CodeObject } from "../../../src/bytecode/index.js";
import { MarshalComplex } from "../../../src/bytecode/index.js";
import { NotSupportedError } from "../../../src/core/errors.js";
import type { Module } from "../../../src/core/module.js";
import { runCode, UnsupportedOpcodeError } from "../../../src/exec/bytecode/index.js";
import { ScenarioExecutor } from "../../../src/exec/scenario-executor.js";
import { type Asm, assemble } from "./support/assemble.js";
import { fakeModule } from "./support/fake-context.js";
import { strictError, strictNamespace } from "./support/strict-describe.js";

const SOURCE = `"""Doc."""
import a.b as x
from m import Y
from m import *
A = 5
B = -A
L = [1, 2, 3]
D = {"k": 1, "j": A}
S = {1, 2}
T = (1, 2)
class K:
    X = 1
    def meth(self):
        pass
def f(a=1):
    pass
try:
    import missing
except ImportError as e:
    E = e
else:
    E = None
try:
    raise ValueError("v")
except ValueError:
    V = 1
`;

const HELPERS: Readonly<Record<string, string>> = {
  a: "",
  "a.b": "B_ATTR = 1\n",
  m: "Y = 'y'\nZ = 'z'\n_P = 1\n",
};

const method = assemble({
  version: "3.14",
  name: "meth",
  qualname: "K.meth",
  flags: 3,
  consts: [null],
  code: [["RESUME", 0], ["LOAD_CONST", 0], ["RETURN_VALUE"]],
});

const classBody = assemble({
  version: "3.14",
  name: "K",
  consts: ["K", method, [], null],
  names: [
    "__name__",
    "__module__",
    "__qualname__",
    "__firstlineno__",
    "X",
    "meth",
    "__static_attributes__",
    "__classdictcell__",
  ],
  localsplusnames: ["__classdict__"],
  code: [
    ["MAKE_CELL", 0],
    ["RESUME", 0],
    ["LOAD_NAME", 0],
    ["STORE_NAME", 1],
    ["LOAD_CONST", 0],
    ["STORE_NAME", 2],
    ["LOAD_SMALL_INT", 11],
    ["STORE_NAME", 3],
    ["LOAD_LOCALS"],
    ["STORE_DEREF", 0],
    ["LOAD_SMALL_INT", 1],
    ["STORE_NAME", 4],
    ["LOAD_CONST", 1],
    ["MAKE_FUNCTION"],
    ["STORE_NAME", 5],
    ["LOAD_CONST", 2],
    ["STORE_NAME", 6],
    ["LOAD_FAST_BORROW", 0],
    ["STORE_NAME", 7],
    ["LOAD_CONST", 3],
    ["RETURN_VALUE"],
  ],
});

const functionF = assemble({
  version: "3.14",
  name: "f",
  flags: 3,
  consts: [null],
  code: [["RESUME", 0], ["LOAD_CONST", 0], ["RETURN_VALUE"]],
});

const NAMES = [
  "__doc__",
  "a.b",
  "b",
  "x",
  "m",
  "Y",
  "A",
  "B",
  "L",
  "k",
  "D",
  "S",
  "T",
  "K",
  "f",
  "missing",
  "E",
  "ImportError",
  "e",
  "ValueError",
  "V",
];
const n = (name: string): number => NAMES.indexOf(name);
// co_consts by index: 0 "Doc.", 1 None, 2 ("Y",), 3 ("*",), 4 (1, 2, 3), 5 "k", 6 "j", 7 (1, 2), 8 <code K>,
// 9 "K", 10 (1,), 11 <code f>, 12 "v".
const CONSTS = ["Doc.", null, ["Y"], ["*"], [1, 2, 3], "k", "j", [1, 2], classBody, "K", [1], functionF, "v"];

const moduleCode: readonly Asm[] = [
  ["RESUME", 0],
  ["LOAD_CONST", 0],
  ["STORE_NAME", n("__doc__")],
  ["LOAD_SMALL_INT", 0],
  ["LOAD_CONST", 1],
  ["IMPORT_NAME", n("a.b")],
  ["IMPORT_FROM", n("b")],
  ["STORE_NAME", n("x")],
  ["POP_TOP"],
  ["LOAD_SMALL_INT", 0],
  ["LOAD_CONST", 2],
  ["IMPORT_NAME", n("m")],
  ["IMPORT_FROM", n("Y")],
  ["STORE_NAME", n("Y")],
  ["POP_TOP"],
  ["LOAD_SMALL_INT", 0],
  ["LOAD_CONST", 3],
  ["IMPORT_NAME", n("m")],
  ["CALL_INTRINSIC_1", 2],
  ["POP_TOP"],
  ["LOAD_SMALL_INT", 5],
  ["STORE_NAME", n("A")],
  ["LOAD_NAME", n("A")],
  ["UNARY_NEGATIVE"],
  ["STORE_NAME", n("B")],
  ["BUILD_LIST", 0],
  ["LOAD_CONST", 4],
  ["LIST_EXTEND", 1],
  ["STORE_NAME", n("L")],
  ["LOAD_CONST", 5],
  ["LOAD_SMALL_INT", 1],
  ["LOAD_CONST", 6],
  ["LOAD_NAME", n("A")],
  ["BUILD_MAP", 2],
  ["STORE_NAME", n("D")],
  ["LOAD_SMALL_INT", 1],
  ["LOAD_SMALL_INT", 2],
  ["BUILD_SET", 2],
  ["STORE_NAME", n("S")],
  ["LOAD_CONST", 7],
  ["STORE_NAME", n("T")],
  ["LOAD_BUILD_CLASS"],
  ["PUSH_NULL"],
  ["LOAD_CONST", 8],
  ["MAKE_FUNCTION"],
  ["LOAD_CONST", 9],
  ["CALL", 2],
  ["STORE_NAME", n("K")],
  ["LOAD_CONST", 10],
  ["LOAD_CONST", 11],
  ["MAKE_FUNCTION"],
  ["SET_FUNCTION_ATTRIBUTE", 1],
  ["STORE_NAME", n("f")],
  ["NOP"],
  ["LABEL", "try1"],
  ["LOAD_SMALL_INT", 0],
  ["LOAD_CONST", 1],
  ["IMPORT_NAME", n("missing")],
  ["STORE_NAME", n("missing")],
  ["LABEL", "else1"],
  ["LOAD_CONST", 1],
  ["STORE_NAME", n("E")],
  ["JUMP_FORWARD", "@after1"],
  ["LABEL", "handler1"],
  ["PUSH_EXC_INFO"],
  ["LOAD_NAME", n("ImportError")],
  ["CHECK_EXC_MATCH"],
  ["POP_JUMP_IF_FALSE", "@nomatch1"],
  ["NOT_TAKEN"],
  ["STORE_NAME", n("e")],
  ["LABEL", "body1"],
  ["LOAD_NAME", n("e")],
  ["STORE_NAME", n("E")],
  ["LABEL", "pop1"],
  ["POP_EXCEPT"],
  ["LOAD_CONST", 1],
  ["STORE_NAME", n("e")],
  ["DELETE_NAME", n("e")],
  ["JUMP_FORWARD", "@after1"],
  ["LABEL", "unbind1"],
  ["LOAD_CONST", 1],
  ["STORE_NAME", n("e")],
  ["DELETE_NAME", n("e")],
  ["RERAISE", 1],
  ["LABEL", "nomatch1"],
  ["RERAISE", 0],
  ["LABEL", "cleanup1"],
  ["COPY", 3],
  ["POP_EXCEPT"],
  ["RERAISE", 1],
  ["LABEL", "after1"],
  ["NOP"],
  ["LABEL", "try2"],
  ["LOAD_NAME", n("ValueError")],
  ["PUSH_NULL"],
  ["LOAD_CONST", 12],
  ["CALL", 1],
  ["RAISE_VARARGS", 1],
  ["LABEL", "handler2"],
  ["PUSH_EXC_INFO"],
  ["LOAD_NAME", n("ValueError")],
  ["CHECK_EXC_MATCH"],
  ["POP_JUMP_IF_FALSE", "@nomatch2"],
  ["NOT_TAKEN"],
  ["POP_TOP"],
  ["LOAD_SMALL_INT", 1],
  ["STORE_NAME", n("V")],
  ["LABEL", "pop2"],
  ["POP_EXCEPT"],
  ["JUMP_FORWARD", "@end"],
  ["LABEL", "nomatch2"],
  ["RERAISE", 0],
  ["LABEL", "cleanup2"],
  ["COPY", 3],
  ["POP_EXCEPT"],
  ["RERAISE", 1],
  ["LABEL", "end"],
  ["LOAD_CONST", 1],
  ["RETURN_VALUE"],
];

const moduleObject = assemble({
  version: "3.14",
  consts: CONSTS,
  names: NAMES,
  code: moduleCode,
  handlers: [
    { from: "try1", to: "else1", target: "handler1", depth: 0, lasti: false },
    { from: "handler1", to: "body1", target: "cleanup1", depth: 1, lasti: true },
    { from: "body1", to: "pop1", target: "unbind1", depth: 1, lasti: true },
    { from: "unbind1", to: "after1", target: "cleanup1", depth: 1, lasti: true },
    { from: "try2", to: "handler2", target: "handler2", depth: 0, lasti: false },
    { from: "handler2", to: "pop2", target: "cleanup2", depth: 1, lasti: true },
    { from: "nomatch2", to: "end", target: "cleanup2", depth: 1, lasti: true },
  ],
});

async function outcome(run: (module: Module, ctx: ReturnType<typeof fakeModule>["ctx"]) => Promise<void>) {
  const { system, module, ctx } = fakeModule("main");
  for (const [name, source] of Object.entries(HELPERS)) system.sources.set(name, source);
  let error = null;
  try {
    await run(module, ctx);
  } catch (raised) {
    if (raised instanceof NotSupportedError) throw raised;
    error = strictError(raised as never);
  }
  return { error, namespace: strictNamespace(module.dict) };
}

function runSource(source: string) {
  const executor = new ScenarioExecutor();
  return outcome((module, ctx) => executor.exec(executor.compile(source, "/lib/main.py"), module, ctx));
}

function runBytecode(code: CodeObject) {
  return outcome((module, ctx) => runCode(code, module, ctx, "3.14"));
}

describe("hand-built CPython 3.14 module code", () => {
  it("runs every construct as the source executor runs its source", async () => {
    expect(await runBytecode(moduleObject)).toEqual(await runSource(SOURCE));
  });

  it("propagates an unmatched exception out of a handler", async () => {
    const code = assemble({
      version: "3.14",
      consts: [null, "boom"],
      names: ["RuntimeError", "ImportError", "DONE"],
      code: [
        ["RESUME", 0],
        ["NOP"],
        ["LABEL", "try"],
        ["LOAD_NAME", 0],
        ["PUSH_NULL"],
        ["LOAD_CONST", 1],
        ["CALL", 1],
        ["RAISE_VARARGS", 1],
        ["LABEL", "handler"],
        ["PUSH_EXC_INFO"],
        ["LOAD_NAME", 1],
        ["CHECK_EXC_MATCH"],
        ["POP_JUMP_IF_FALSE", "@nomatch"],
        ["NOT_TAKEN"],
        ["POP_TOP"],
        ["LOAD_SMALL_INT", 1],
        ["STORE_NAME", 2],
        ["LABEL", "pop"],
        ["POP_EXCEPT"],
        ["LOAD_CONST", 0],
        ["RETURN_VALUE"],
        ["LABEL", "nomatch"],
        ["RERAISE", 0],
        ["LABEL", "cleanup"],
        ["COPY", 3],
        ["POP_EXCEPT"],
        ["RERAISE", 1],
      ],
      handlers: [
        { from: "try", to: "handler", target: "handler", depth: 0, lasti: false },
        { from: "handler", to: "pop", target: "cleanup", depth: 1, lasti: true },
        { from: "nomatch", to: "cleanup", target: "cleanup", depth: 1, lasti: true },
      ],
    });
    const result = await runBytecode(code);
    expect(result).toEqual(
      await runSource('try:\n    raise RuntimeError("boom")\nexcept ImportError:\n    DONE = 1\n'),
    );
    expect(result.error).toMatchObject({ error: "RuntimeError", message: "boom" });
  });

  it("refuses an opcode it does not implement before running anything", async () => {
    const code = assemble({
      version: "3.14",
      names: ["A"],
      code: [
        ["RESUME", 0],
        ["LOAD_SMALL_INT", 1],
        ["STORE_NAME", 0],
        ["LOAD_SMALL_INT", 2],
        ["LOAD_SMALL_INT", 3],
        ["BINARY_OP", 0],
        ["POP_TOP"],
      ],
    });
    const { module, ctx } = fakeModule();
    const run = runCode(code, module, ctx, "3.14", { filename: "/lib/pkg/mod.pyc" });
    await expect(run).rejects.toThrow(new UnsupportedOpcodeError("BINARY_OP", 10, "/lib/pkg/mod.pyc"));
    await expect(run).rejects.toThrow("opcode BINARY_OP at offset 10 in /lib/pkg/mod.pyc is not supported");
    expect(module.dict.has("A")).toBe(false);
  });

  it("names an opcode number the version does not define as dis does", async () => {
    const code = assemble({ version: "3.14", code: [["RESUME", 0]] });
    const bytes = Uint8Array.from([...code.code, 200, 0]);
    const { module, ctx } = fakeModule();
    await expect(runCode({ ...code, code: bytes }, module, ctx, "3.14")).rejects.toThrow(
      "opcode <200> at offset 2 in hand.py is not supported",
    );
  });

  it("refuses a constant outside the subset when it is loaded", async () => {
    const code = assemble({
      version: "3.14",
      consts: [new MarshalComplex(0, 1)],
      names: ["A", "Z"],
      code: [
        ["RESUME", 0],
        ["LOAD_SMALL_INT", 1],
        ["STORE_NAME", 0],
        ["LOAD_CONST", 0],
        ["STORE_NAME", 1],
      ],
      filename: "src/complex.py",
    });
    const { module, ctx } = fakeModule();
    await expect(runCode(code, module, ctx, "3.14")).rejects.toThrow(
      "opcode LOAD_CONST at offset 6 in src/complex.py is not supported",
    );
    expect(module.dict.get("A")).toBe(1n);
  });
});
