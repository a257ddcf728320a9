/**
 * The generated modules run: in CPython 3.11 (`python3 -I -S`, skipped only when there is no python3) and
 * in importkit's own scenario executor, at top level and in a package, and through the generator file
 * hook. Both runtimes describe the modules the same way (every value's repr, every class's attributes),
 * compared with each other and with what the reference example must give.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { valueRepr } from "../../../../src/exec/repr.js";
import type { GeneratorInput } from "../../../../src/hooks/generators/generator.js";
import { IslSyntaxError, islGenerator } from "../../../../src/hooks/generators/isl/index.js";
import {
  createImportSystem,
  generators,
  ImportError,
  MemFileSystem,
  type Module,
  PyClass,
  PyFunction,
  type PyValue,
} from "../../../../src/index.js";

/** Everything at once: hyphens, keywords and reserved names, every mode, every constant kind, forward use. */
const SINK_ISL = `(* Everything the generator handles *)
INTERFACE Kitchen-Sink;
TYPE Shape = OBJECT
  METHODS
    Get-Area () : Area RAISES Bad-Shape, class END,
    Move (INOUT where : Point-2D, OUT moved : BOOLEAN, by : Offsets) : Point-2D,
    def (self : STRING, lambda : LONG INTEGER),
    ASYNCHRONOUS Forget (CLIENT : BYTE)
  END;
TYPE Area = LONG REAL;
TYPE Point-2D = RECORD x-coord : Area, y-coord : Area, None : BOOLEAN END;
TYPE Offsets = SEQUENCE OF Point-2D;
TYPE Kind = ENUMERATION circle, square, True, TYPE-ID END;
TYPE Empty = OBJECT END;
TYPE self = SHORT CARDINAL;
EXCEPTION Bad-Shape : Kind;
EXCEPTION class;
CONSTANT Pi : LONG REAL = 3.141592653589793;
CONSTANT Tiny : REAL = 1e-7;
CONSTANT Big : REAL = 1e16;
CONSTANT Minus : SHORT REAL = -2;
CONSTANT Count : LONG CARDINAL = 18446744073709551615;
CONSTANT Low : LONG INTEGER = -9223372036854775808;
CONSTANT Yes : BOOLEAN = TRUE;
CONSTANT No : BOOLEAN = FALSE;
CONSTANT Greeting : STRING = "it's \\"quoted\\"\\tcaf\u00e9 \u{1F600} back\\\\slash";
CONSTANT TYPES : self = 7;
CONSTANT in : Area = 0.5;
`;

type Description = Record<string, string | { class: string; attrs: Record<string, string> }>;

/** Prints, per module, what describeModule gives in TypeScript, plus every function's parameters and docstring. */
const DESCRIBE_PY = `
import importlib, json, sys, types
sys.path.insert(0, sys.argv[1])
def value(v):
    if isinstance(v, types.ModuleType):
        return 'module ' + v.__name__
    if isinstance(v, types.FunctionType):
        return 'function ' + v.__qualname__
    return repr(v)
def keep(name):
    return not name.startswith('__') or name in ('__doc__', '__module__')
out, signatures = {}, {}
for name in sys.argv[2:]:
    module = importlib.import_module(name)
    d = {}
    for k, v in vars(module).items():
        if not keep(k) or k == '__module__':
            continue
        if isinstance(v, type):
            d[k] = {'class': v.__qualname__, 'attrs': {a: value(x) for a, x in vars(v).items() if keep(a)}}
            for a, x in vars(v).items():
                if isinstance(x, types.FunctionType):
                    code = x.__code__
                    signatures[name + '.' + x.__qualname__] = [list(code.co_varnames[:code.co_argcount]), x.__doc__]
        else:
            d[k] = value(v)
    out[name] = d
print(json.dumps({'modules': out, 'signatures': signatures}))
`;

import { CALC_ISL } from "./calc-isl.js";

function describeValue(v: PyValue): string {
  if (v instanceof PyFunction) return `function ${v.qualname}`;
  if (v !== null && typeof v === "object" && v.pyType === "module") return `module ${(v as Module).name}`;
  return valueRepr(v);
}

/** What DESCRIBE_PY prints for one module, from importkit's executor. */
function describeModule(module: Module): Description {
  const keep = (name: string) => !name.startsWith("__") || name === "__doc__" || name === "__module__";
  const out: Description = {};
  for (const [name, v] of module.dict) {
    if (!keep(name) || name === "__module__") continue;
    if (v instanceof PyClass) {
      const attrs: Record<string, string> = {};
      for (const [a, x] of v.attrs) if (keep(a)) attrs[a] = describeValue(x);
      out[name] = { class: v.qualname, attrs };
    } else out[name] = describeValue(v);
  }
  return out;
}

function generate(text: string, place: Partial<GeneratorInput> = {}) {
  return islGenerator.generate({
    bytes: new TextEncoder().encode(text),
    path: "/w/calc.isl",
    stem: "calc",
    packageName: "",
    ...place,
  });
}

/** The generated files of `text` for a module `stem` in `packageName`, keyed by relative path. */
function generatedFiles(text: string, stem: string, packageName = ""): Record<string, string> {
  const out = generate(text, { stem, packageName, path: `/w/${stem}.isl` });
  const dir = packageName === "" ? "" : `${packageName.replaceAll(".", "/")}/`;
  const files: Record<string, string> = {
    [`${dir}${stem}.py`]: out[""]!,
    [`${dir}${stem}__skel.py`]: out.__skel!,
  };
  if (packageName !== "") files[`${dir}__init__.py`] = "";
  return files;
}

async function describeInExecutor(files: Record<string, string>, modules: string[]) {
  const mem = MemFileSystem.fromFiles(
    Object.fromEntries(Object.entries(files).map(([p, t]) => [`/w/${p}`, t])),
  );
  const system = createImportSystem({ fs: mem });
  system.path.push("/w");
  system.sys.dontWriteBytecode = true;
  const out: Record<string, Description> = {};
  for (const name of modules) out[name] = describeModule(await system.importModule(name));
  return out;
}

const CALC_DOC =
  '"Client stubs for ISL interface Calc, generated by importkit\'s ISL generator from calc.isl. Do not edit."';
const CALC_METHODS =
  "{'SetValue': ((('v', 'IN', 'REAL'),), None, (), False), 'GetValue': ((), 'REAL', (), False), " +
  "'Divide': ((('v', 'IN', 'REAL'),), None, ('DivideByZero',), False), 'Reset': ((), None, (), True)}";

/** The reference example's modules, as both runtimes must describe them. */
function expectedCalc(pkg: string): Record<string, Description> {
  const client = pkg === "" ? "calc" : `${pkg}.calc`;
  const skeleton = `${client}__skel`;
  return {
    [client]: {
      __doc__: CALC_DOC,
      INTERFACE: "'Calc'",
      SOURCE: "'calc.isl'",
      TYPES:
        "{'Number': ('ALIAS', 'REAL'), 'Names': ('SEQUENCE', 'STRING'), " +
        "'Color': ('ENUMERATION', ('Red', 'Green', 'Blue')), 'Point': ('RECORD', (('x', 'REAL'), ('y', 'REAL'))), " +
        "'Calculator': ('OBJECT', ('SetValue', 'GetValue', 'Divide', 'Reset'))}",
      EXCEPTIONS: "{'DivideByZero': None, 'BadName': 'STRING'}",
      CONSTANTS: "{'Version': ('INTEGER', 3)}",
      Color: {
        class: "Color",
        attrs: {
          __module__: `'${client}'`,
          __doc__: "'Enumeration Calc.Color.'",
          Red: "0",
          Green: "1",
          Blue: "2",
        },
      },
      DivideByZero: {
        class: "DivideByZero",
        attrs: {
          __module__: `'${client}'`,
          __doc__: "'Exception Calc.DivideByZero, without a value.'",
          EXCEPTION_ID: "'Calc.DivideByZero'",
          VALUE_TYPE: "None",
        },
      },
      BadName: {
        class: "BadName",
        attrs: {
          __module__: `'${client}'`,
          __doc__: "'Exception Calc.BadName, with a value of type STRING.'",
          EXCEPTION_ID: "'Calc.BadName'",
          VALUE_TYPE: "'STRING'",
        },
      },
      Version: "3",
      Calculator: {
        class: "Calculator",
        attrs: {
          __module__: `'${client}'`,
          __doc__: "'Client stub for object type Calc.Calculator.'",
          TYPE_ID: "'Calc.Calculator'",
          METHODS: CALC_METHODS,
          SetValue: "function Calculator.SetValue",
          GetValue: "function Calculator.GetValue",
          Divide: "function Calculator.Divide",
          Reset: "function Calculator.Reset",
        },
      },
    },
    [skeleton]: {
      __doc__: CALC_DOC.replace("Client stubs", "Server skeleton"),
      INTERFACE: "'Calc'",
      SOURCE: "'calc.isl'",
      CLIENT_MODULE: `'${client}'`,
      calc: `module ${client}`,
      Calculator__skel: {
        class: "Calculator__skel",
        attrs: {
          __module__: `'${skeleton}'`,
          __doc__: "'Server skeleton for object type Calc.Calculator: a server implements these methods.'",
          TYPE_ID: "'Calc.Calculator'",
          CLIENT: `<class '${client}.Calculator'>`,
          METHODS: CALC_METHODS,
          SetValue: "function Calculator__skel.SetValue",
          GetValue: "function Calculator__skel.GetValue",
          Divide: "function Calculator__skel.Divide",
          Reset: "function Calculator__skel.Reset",
        },
      },
    },
  };
}

const python = (() => {
  const r = spawnSync("python3", ["-I", "-S", "-c", "import sys; print(sys.version_info[:2] >= (3, 11))"], {
    encoding: "utf8",
  });
  return r.status === 0 && r.stdout.trim() === "True" ? "python3" : undefined;
})();

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

interface PythonDescription {
  modules: Record<string, Description>;
  signatures: Record<string, [string[], string]>;
}

function describeInCPython(files: Record<string, string>, modules: string[]): PythonDescription {
  const dir = mkdtempSync(join(tmpdir(), "importkit-isl-"));
  temporary.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const stdout = execFileSync(python!, ["-I", "-S", "-B", "-c", DESCRIBE_PY, dir, ...modules], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", PYTHONHASHSEED: "0" },
  });
  return JSON.parse(stdout) as PythonDescription;
}

describe("generated Python in importkit's executor", () => {
  it("runs the reference example at top level", async () => {
    const described = await describeInExecutor(generatedFiles(CALC_ISL, "calc"), ["calc", "calc__skel"]);
    expect(described).toEqual(expectedCalc(""));
  });

  it("runs the reference example in a package (the skeleton imports its client relatively)", async () => {
    const described = await describeInExecutor(generatedFiles(CALC_ISL, "calc", "pkg"), [
      "pkg.calc",
      "pkg.calc__skel",
    ]);
    expect(described).toEqual(expectedCalc("pkg"));
  });

  it("gives attributes through module.getAttr", async () => {
    const mem = MemFileSystem.fromFiles(
      Object.fromEntries(Object.entries(generatedFiles(CALC_ISL, "calc")).map(([p, t]) => [`/w/${p}`, t])),
    );
    const system = createImportSystem({ fs: mem });
    system.path.push("/w");
    const skel = await system.importModule("calc__skel");
    const calc = await system.importModule("calc");
    const stub = skel.getAttr("Calculator__skel") as PyClass;
    expect(stub.attrs.get("CLIENT")).toBe(calc.getAttr("Calculator"));
    expect(calc.getAttr("Version")).toBe(3n);
    expect((calc.getAttr("Color") as PyClass).attrs.get("Blue")).toBe(2n);
    expect(skel.getAttr("calc")).toBe(calc);
  });

  it("runs the modules the generator file hook makes from calc.isl, in a directory and in a package", async () => {
    const mem = MemFileSystem.fromFiles({
      "/w/calc.isl": CALC_ISL,
      "/w/pkg/__init__.py": "",
      "/w/pkg/calc.isl": CALC_ISL,
    });
    const system = createImportSystem({ fs: mem, plugins: [generators([islGenerator])] });
    system.path.push("/w");
    system.sys.dontWriteBytecode = true;
    const described: Record<string, Description> = {};
    for (const name of ["calc", "calc__skel", "pkg.calc", "pkg.calc__skel"]) {
      described[name] = describeModule(await system.importModule(name));
    }
    expect(described).toEqual({ ...expectedCalc(""), ...expectedCalc("pkg") });
  });

  it("a bad .isl file makes the import fail with the IslSyntaxError as the cause", async () => {
    const mem = MemFileSystem.fromFiles({ "/w/calc.isl": "INTERFACE Calc;\nTYPE Number = Nmber;\n" });
    const system = createImportSystem({ fs: mem, plugins: [generators([islGenerator])] });
    system.path.push("/w");
    const error = await system.importModule("calc__skel").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toContain("/w/calc.isl:2:15: unknown type 'Nmber'");
    expect((error as Error).cause).toBeInstanceOf(IslSyntaxError);
  });
});

describe.skipIf(python === undefined)("generated Python in CPython 3.11", () => {
  it("runs the reference example at top level, as the executor does", async () => {
    const files = generatedFiles(CALC_ISL, "calc");
    const { modules, signatures } = describeInCPython(files, ["calc", "calc__skel"]);
    expect(modules).toEqual(expectedCalc(""));
    const methods = {
      SetValue: [["self", "v"], "SetValue (v : REAL)"],
      GetValue: [["self"], "GetValue () : REAL"],
      Divide: [["self", "v"], "Divide (v : REAL) RAISES DivideByZero END"],
      Reset: [["self"], "ASYNCHRONOUS Reset ()"],
    };
    expect(signatures).toEqual(
      Object.fromEntries(
        Object.entries(methods).flatMap(([m, s]) => [
          [`calc.Calculator.${m}`, s],
          [`calc__skel.Calculator__skel.${m}`, s],
        ]),
      ),
    );
  });

  it("runs the reference example in a package", () => {
    const { modules } = describeInCPython(generatedFiles(CALC_ISL, "calc", "pkg"), [
      "pkg.calc",
      "pkg.calc__skel",
    ]);
    expect(modules).toEqual(expectedCalc("pkg"));
  });

  it("runs everything the generator makes, exactly as importkit's executor does", async () => {
    for (const pkg of ["", "outer.inner"]) {
      const files = generatedFiles(SINK_ISL, "sink", pkg);
      const names = pkg === "" ? ["sink", "sink__skel"] : [`${pkg}.sink`, `${pkg}.sink__skel`];
      if (pkg !== "") files["outer/__init__.py"] = "";
      const { modules, signatures } = describeInCPython(files, names);
      expect(await describeInExecutor(files, names)).toEqual(modules);
      if (pkg !== "") continue;
      const sink = modules.sink!;
      expect(sink.INTERFACE).toBe("'Kitchen-Sink'");
      expect(sink.Greeting).toBe("'it\\'s \"quoted\"\\tcafé 😀 back\\\\slash'");
      expect([sink.Pi, sink.Tiny, sink.Big, sink.Minus, sink.Count, sink.Low, sink.Yes, sink.No]).toEqual([
        "3.141592653589793",
        "1e-07",
        "1e+16",
        "-2.0",
        "18446744073709551615",
        "-9223372036854775808",
        "True",
        "False",
      ]);
      expect([sink.TYPES_, sink.in_, sink.TYPES]).toEqual(["7", "0.5", expect.stringContaining("'self_'")]);
      expect(sink.Kind).toMatchObject({ attrs: { circle: "0", square: "1", True_: "2", TYPE_ID_: "3" } });
      expect(sink.class_).toMatchObject({
        attrs: { EXCEPTION_ID: "'Kitchen-Sink.class'", VALUE_TYPE: "None" },
      });
      expect(sink.Bad_Shape).toMatchObject({ attrs: { VALUE_TYPE: "'Kind'" } });
      expect(sink.Empty).toMatchObject({ attrs: { TYPE_ID: "'Kitchen-Sink.Empty'", METHODS: "{}" } });
      expect(modules.sink__skel!.Shape__skel).toMatchObject({ attrs: { CLIENT: "<class 'sink.Shape'>" } });
      expect(signatures).toMatchObject({
        "sink.Shape.Get_Area": [["self"], "Get-Area () : Area RAISES Bad-Shape, class END"],
        "sink.Shape.Move": [
          ["self", "where", "by"],
          "Move (INOUT where : Point-2D, OUT moved : BOOLEAN, by : Offsets) : Point-2D",
        ],
        "sink.Shape.def_": [["self", "self_", "lambda_"], "def (self : STRING, lambda : LONG INTEGER)"],
        "sink.Shape.Forget": [["self", "CLIENT_"], "ASYNCHRONOUS Forget (CLIENT : BYTE)"],
        "sink__skel.Shape__skel.Move": [
          ["self", "where", "by"],
          "Move (INOUT where : Point-2D, OUT moved : BOOLEAN, by : Offsets) : Point-2D",
        ],
      });
    }
  });

  it("runs skeletons that cannot import their client (CLIENT is None)", async () => {
    for (const stem of ["my-calc", "class", "Calculator__skel"]) {
      const files = generatedFiles(CALC_ISL, stem);
      const { modules } = describeInCPython(files, [`${stem}__skel`]);
      expect(await describeInExecutor(files, [`${stem}__skel`])).toEqual(modules);
      const skel = modules[`${stem}__skel`]!;
      expect(skel.CLIENT_MODULE).toBe(`'${stem}'`);
      expect(skel.Calculator__skel).toMatchObject({ attrs: { CLIENT: "None" } });
    }
  });
});
