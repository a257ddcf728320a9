import { describe, expect, it } from "vitest";
import { NotSupportedError, SyntaxError_ } from "../../src/core/errors.js";
import type { Stmt } from "../../src/exec/ast.js";
import { ScenarioCode } from "../../src/exec/compile.js";
import { ScenarioExecutor } from "../../src/exec/scenario-executor.js";

const executor = new ScenarioExecutor();
const compile = (source: string): readonly Stmt[] => executor.compile(source, "/site/pkg/mod.py").body;

function compileError(source: string): Error {
  try {
    compile(source);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a compile error");
}

function syntaxError(source: string): string {
  const error = compileError(source);
  expect(error).toBeInstanceOf(SyntaxError_);
  return error.message;
}

function unsupported(source: string): string {
  const error = compileError(source);
  expect(error).toBeInstanceOf(NotSupportedError);
  return error.message;
}

describe("compile", () => {
  it("returns a ScenarioCode naming its file", () => {
    const code = executor.compile("X = 1\n", "/a/b.py");
    expect(code).toBeInstanceOf(ScenarioCode);
    expect(code.filename).toBe("/a/b.py");
  });

  it("compiles imports into CPython's import forms", () => {
    expect(compile("import a.b as c, d\n")).toEqual([
      {
        kind: "import",
        line: 1,
        names: [
          { name: "a.b", asName: "c" },
          { name: "d", asName: null },
        ],
      },
    ]);
    expect(compile("from ...x.y import (p, q as r,)\n")).toEqual([
      {
        kind: "importFrom",
        line: 1,
        module: "x.y",
        level: 3,
        names: [
          { name: "p", asName: null },
          { name: "q", asName: "r" },
        ],
      },
    ]);
    expect(compile("from .. import q\n")[0]).toMatchObject({ kind: "importFrom", module: "", level: 2 });
    expect(compile("from .... import q\n")[0]).toMatchObject({ kind: "importFrom", module: "", level: 4 });
    expect(compile("from .m import *\n")[0]).toEqual({ kind: "importStar", line: 1, module: "m", level: 1 });
  });

  it("makes a leading string the module's __doc__ assignment, other strings plain expressions", () => {
    const body = compile('"""Doc."""\n"other"\n');
    expect(body[0]).toMatchObject({ kind: "assign", targets: ["__doc__"], value: { value: "Doc." } });
    expect(body[1]).toMatchObject({ kind: "expr" });
    expect(compile('b"x"\n')[0]).toMatchObject({ kind: "expr" });
  });

  it("reads comments, semicolons and line continuations", () => {
    const body = compile("# c\nA = 1; B = 2  # tail\nC = (1,\n  # inside\n  2)\n");
    expect(body.map((s) => s.kind)).toEqual(["assign", "assign", "assign"]);
    expect(body[2]?.line).toBe(3);
  });
});

describe("syntax errors", () => {
  it.each([
    ["X = = 1\n", "invalid syntax (mod.py, line 1)"],
    ["A = 1\nimport\n", "invalid syntax (mod.py, line 2)"],
    ["from __future__ import braces\n", "not a chance (mod.py, line 1)"],
    ["from __future__ import nope\n", "future feature nope is not defined (mod.py, line 1)"],
    [
      "X = 0123\n",
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (mod.py, line 1)",
    ],
    ['X = b"a" "b"\n', "cannot mix bytes and nonbytes literals (mod.py, line 1)"],
    ["def f(a, a): pass\n", "duplicate argument 'a' in function definition (mod.py, line 1)"],
    ["class K:\n    from m import *\n", "import * only allowed at module level (mod.py, line 2)"],
    ["def f():\n    from m import *\n", "import * only allowed at module level (mod.py, line 2)"],
    [
      "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
      "default 'except:' must be last (mod.py, line 3)",
    ],
    ["try:\n    pass\nX = 1\n", "expected 'except' or 'finally' block (mod.py, line 3)"],
    ["from x import a,\n", "trailing comma not allowed without surrounding parentheses (mod.py, line 1)"],
    ["raise E(a=1, a=2)\n", "keyword argument repeated: a (mod.py, line 1)"],
    ["raise E(a=1, 2)\n", "positional argument follows keyword argument (mod.py, line 1)"],
    ["None = 1\n", "cannot assign to None (mod.py, line 1)"],
    ["X = 1 = 2\n", "cannot assign to literal (mod.py, line 1)"],
    ["del 1\n", "cannot delete literal (mod.py, line 1)"],
    ['print "x"\n', "Missing parentheses in call to 'print'. Did you mean print(...)? (mod.py, line 1)"],
    [
      'X = "\\x4"\n',
      "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape (mod.py, line 1)",
    ],
  ])("%j", (source, message) => {
    expect(syntaxError(source)).toBe(message);
  });

  it("enforces CPython's indentation rules, which lezer does not", () => {
    const indentation = (source: string): [string, string] => {
      const error = compileError(source) as SyntaxError_;
      expect(error).toBeInstanceOf(SyntaxError_);
      return [error.pyType, error.message];
    };
    expect(indentation("X = 1\n  Y = 2\n")).toEqual([
      "IndentationError",
      "unexpected indent (mod.py, line 2)",
    ]);
    expect(indentation("class K:\n    pass\n  X = 1\n")).toEqual([
      "IndentationError",
      "unindent does not match any outer indentation level (mod.py, line 3)",
    ]);
    expect(indentation("try:\n    pass\n  except E:\n    pass\n")).toEqual([
      "IndentationError",
      "unindent does not match any outer indentation level (mod.py, line 3)",
    ]);
    expect(indentation("class K:\n\tA = 1\n        B = 2\n")).toEqual([
      "TabError",
      "inconsistent use of tabs and spaces in indentation (mod.py, line 3)",
    ]);
    expect(() =>
      compile("class K:\n    class J:\n        A = 1\n    B = (1,\n 2)\n  # c\nC = 3\n"),
    ).not.toThrow();
    expect(() => compile("class K: pass\nclass J:\n\tA = 1\n\tB = 2\n")).not.toThrow();
    expect(indentation("class J:\n    A = 1\n        B = 2\n")).toEqual([
      "IndentationError",
      "unexpected indent (mod.py, line 3)",
    ]);
    expect(indentation("class K:\nX = 1\n")).toEqual([
      "IndentationError",
      "expected an indented block (mod.py, line 2)",
    ]);
    expect(indentation("class K:\n    class J:\n        A = 1\n  B = 1\n")).toEqual([
      "IndentationError",
      "unindent does not match any outer indentation level (mod.py, line 4)",
    ]);
    expect(indentation("class K:\n    A = 1\n)\n")).toEqual([
      "SyntaxError",
      "invalid syntax (mod.py, line 3)",
    ]);
  });

  it("refuses to bind __debug__ anywhere", () => {
    for (const source of [
      "__debug__ = 1\n",
      "from x import a as __debug__\n",
      "import __debug__\n",
      "def __debug__():\n    pass\n",
    ]) {
      expect(syntaxError(source), source).toBe("cannot assign to __debug__ (mod.py, line 1)");
    }
  });

  it("requires `from __future__` imports first, after an optional docstring", () => {
    expect(() =>
      compile('"""Doc."""\nfrom __future__ import annotations\nfrom __future__ import division\n'),
    ).not.toThrow();
    expect(() => compile("# comment\n\nfrom __future__ import annotations\n")).not.toThrow();
    const message = "from __future__ imports must occur at the beginning of the file";
    expect(syntaxError("import x\nfrom __future__ import annotations\n")).toBe(`${message} (mod.py, line 2)`);
    expect(syntaxError('"""a"""\n"""b"""\nfrom __future__ import annotations\n')).toBe(
      `${message} (mod.py, line 3)`,
    );
    expect(syntaxError("try:\n    from __future__ import annotations\nexcept ImportError:\n    pass\n")).toBe(
      `${message} (mod.py, line 2)`,
    );
    expect(syntaxError("class K:\n    from __future__ import annotations\n")).toBe(
      `${message} (mod.py, line 2)`,
    );
  });
});

describe("constructs outside the subset", () => {
  it.each([
    ["if X:\n    pass\n", "if statement", 1],
    ["A = 1\nwhile X:\n    pass\n", "while statement", 2],
    ["for x in y:\n    pass\n", "for statement", 1],
    ["with x:\n    pass\n", "with statement", 1],
    ["X += 1\n", "augmented assignment", 1],
    ["X = f()\n", "call expression", 1],
    ["X = 1 + 2\n", "binary expression", 1],
    ["X = a if b else c\n", "conditional expression", 1],
    ["X = lambda: 1\n", "lambda expression", 1],
    ["X = [a for a in b]\n", "list comprehension", 1],
    ["X = a[0]\n", "subscript", 1],
    ["X = not a\n", "not expression", 1],
    ['X = f"{a}"\n', "f-string", 1],
    ["X = 1j\n", "complex literal", 1],
    ['X = "\\N{BULLET}"\n', "\\N{...} escape", 1],
    ["X: int = 1\n", "annotated assignment", 1],
    ["a, b = 1, 2\n", "assignment to a tuple or list", 1],
    ["a.b = 1\n", "attribute assignment", 1],
    ["del a.b\n", "attribute deletion", 1],
    ["X = [*a]\n", "starred expression", 1],
    ["X = {**a}\n", "dict unpacking", 1],
    ["global X\n", "global/nonlocal statement", 1],
    ["assert X\n", "assert statement", 1],
    ["@d\ndef f():\n    pass\n", "decorator", 1],
    ["def f():\n    return 1\n", "return statement", 2],
    ["def f(a: int):\n    pass\n", "parameter annotation", 1],
    ["def f() -> int:\n    pass\n", "return annotation", 1],
    ["async def f():\n    pass\n", "async function", 1],
    ["class K(metaclass=M):\n    pass\n", "class keyword or unpacked arguments", 1],
    ["raise E from F\n", "raise ... from", 1],
    ["raise E(*a)\n", "argument unpacking", 1],
    ["raise E(f())\n", "call expression", 1],
    ["try:\n    pass\nexcept* E:\n    pass\n", "except* clause", 3],
    ["class K:\n    def m(self):\n        if x:\n            pass\n", "if statement", 3],
    // Valid Python that lezer misparses is still reported as unsupported, not as a syntax error.
    ["X = lambda a, /, b: 0\n", "lambda expression", 1],
    ["match x:\n    case str():\n        pass\n", "match statement", 1],
  ])("%j", (source, construct, line) => {
    expect(unsupported(source)).toBe(
      `not supported by the scenario executor: ${construct} at /site/pkg/mod.py:${line}`,
    );
  });
});
