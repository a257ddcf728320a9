/**
 * The ISL front end: every construct parses to its tree (forward references, comments, hyphenated names),
 * and every problem is an IslSyntaxError with the file, line, column and a message naming the culprit.
 */
import { describe, expect, it } from "vitest";
import {
  type IslInterface,
  IslSyntaxError,
  parseIsl,
  pythonName,
  type TypeDefinition,
} from "../../../../src/hooks/generators/isl/index.js";

const H = "INTERFACE Calc;\n";

/** The error parseIsl throws for `source`, as `line:column: reason`. */
function problem(source: string | Uint8Array): string {
  try {
    parseIsl(source, "calc.isl");
  } catch (error) {
    expect(error).toBeInstanceOf(IslSyntaxError);
    const e = error as IslSyntaxError;
    expect(e.name).toBe("IslSyntaxError");
    expect(e.path).toBe("calc.isl");
    expect(e.message).toBe(`calc.isl:${e.line}:${e.column}: ${e.reason}`);
    return `${e.line}:${e.column}: ${e.reason}`;
  }
  throw new Error("no error");
}

function definitionOf(iface: IslInterface, name: string): TypeDefinition {
  const d = iface.declarations.find((x) => x.name.text === name);
  if (d?.kind !== "type") throw new Error(`no type ${name}`);
  return d.definition;
}

describe("ISL parser: constructs", () => {
  it("parses the interface header and every declaration kind, in order, with positions", () => {
    const iface = parseIsl(
      `(* comments like this,
          may span lines *)
INTERFACE Calc;
TYPE Number = REAL;
TYPE Names = SEQUENCE OF STRING;
TYPE Color = ENUMERATION Red, Green, Blue END;
TYPE Point = RECORD x : REAL, y : REAL END;
EXCEPTION DivideByZero;
EXCEPTION BadName : STRING;
CONSTANT Version : INTEGER = 3;
TYPE Calculator = OBJECT
  METHODS
    SetValue (v : REAL),
    GetValue () : REAL,
    Divide (v : REAL) RAISES DivideByZero END,
    ASYNCHRONOUS Reset ()
  END;
`,
      "calc.isl",
    );
    expect(iface.name).toEqual({ text: "Calc", line: 3, column: 11 });
    expect(iface.declarations.map((d) => [d.kind, d.name.text, d.name.line, d.name.column])).toEqual([
      ["type", "Number", 4, 6],
      ["type", "Names", 5, 6],
      ["type", "Color", 6, 6],
      ["type", "Point", 7, 6],
      ["exception", "DivideByZero", 8, 11],
      ["exception", "BadName", 9, 11],
      ["constant", "Version", 10, 10],
      ["type", "Calculator", 11, 6],
    ]);
    expect(definitionOf(iface, "Number")).toEqual({
      kind: "alias",
      type: { kind: "primitive", name: "REAL", line: 4, column: 15 },
    });
    expect(definitionOf(iface, "Names")).toMatchObject({ kind: "sequence", element: { name: "STRING" } });
    expect(definitionOf(iface, "Color")).toMatchObject({
      kind: "enumeration",
      values: [{ text: "Red" }, { text: "Green" }, { text: "Blue" }],
    });
    expect(definitionOf(iface, "Point")).toMatchObject({
      kind: "record",
      fields: [
        { name: { text: "x" }, type: { kind: "primitive", name: "REAL" } },
        { name: { text: "y" }, type: { kind: "primitive", name: "REAL" } },
      ],
    });
    expect(iface.declarations[5]).toMatchObject({ kind: "exception", valueType: { name: "STRING" } });
    expect(iface.declarations[4]).toMatchObject({ kind: "exception", valueType: null });
    expect(iface.declarations[6]).toMatchObject({
      kind: "constant",
      type: { name: "INTEGER" },
      value: { kind: "integer", value: 3n, line: 10, column: 30 },
    });
    const calculator = definitionOf(iface, "Calculator");
    expect(calculator.kind).toBe("object");
    if (calculator.kind !== "object") return;
    expect(calculator.methods.map((m) => [m.name.text, m.asynchronous])).toEqual([
      ["SetValue", false],
      ["GetValue", false],
      ["Divide", false],
      ["Reset", true],
    ]);
    expect(calculator.methods[0]).toMatchObject({
      parameters: [{ mode: "IN", name: { text: "v" }, type: { name: "REAL" } }],
      result: null,
      raises: [],
    });
    expect(calculator.methods[1]).toMatchObject({ parameters: [], result: { name: "REAL" } });
    expect(calculator.methods[2]).toMatchObject({ raises: [{ text: "DivideByZero", line: 15, column: 30 }] });
  });

  it("reads every primitive type, including ILU's SHORT and LONG sizes", () => {
    const names = [
      "INTEGER",
      "SHORT INTEGER",
      "LONG INTEGER",
      "CARDINAL",
      "SHORT CARDINAL",
      "LONG CARDINAL",
      "REAL",
      "SHORT REAL",
      "LONG REAL",
      "BOOLEAN",
      "STRING",
      "BYTE",
    ];
    const iface = parseIsl(H + names.map((n, i) => `TYPE T${i} = ${n};`).join("\n"));
    expect(
      iface.declarations.map((d) =>
        d.kind === "type" && d.definition.kind === "alias" && d.definition.type.kind === "primitive"
          ? d.definition.type.name
          : null,
      ),
    ).toEqual(names);
  });

  it("reads parameter modes (IN by default), results and several exceptions", () => {
    const iface = parseIsl(
      `${H}EXCEPTION A; EXCEPTION B : INTEGER;
TYPE O = OBJECT METHODS m (a : REAL, IN b : BOOLEAN, OUT c : STRING, INOUT d : BYTE) : LONG REAL RAISES A, B END END;`,
    );
    const o = definitionOf(iface, "O");
    if (o.kind !== "object") throw new Error("not an object");
    expect(o.methods[0]!.parameters.map((p) => [p.mode, p.name.text, p.type])).toEqual([
      ["IN", "a", { kind: "primitive", name: "REAL", line: 3, column: 32 }],
      ["IN", "b", { kind: "primitive", name: "BOOLEAN", line: 3, column: 45 }],
      ["OUT", "c", { kind: "primitive", name: "STRING", line: 3, column: 62 }],
      ["INOUT", "d", { kind: "primitive", name: "BYTE", line: 3, column: 80 }],
    ]);
    expect(o.methods[0]!.result).toEqual({ kind: "primitive", name: "LONG REAL", line: 3, column: 88 });
    expect(o.methods[0]!.raises.map((e) => e.text)).toEqual(["A", "B"]);
  });

  it("allows an object type without methods", () => {
    expect(definitionOf(parseIsl(`${H}TYPE Empty = OBJECT END;`), "Empty")).toEqual({
      kind: "object",
      methods: [],
    });
  });

  it("resolves forward references: types used before they are declared, and exceptions raised before", () => {
    const iface = parseIsl(
      `${H}TYPE O = OBJECT METHODS Get () : Point RAISES Oops END, All () : Points END;
TYPE Points = SEQUENCE OF Point;
TYPE Point = RECORD x : Coordinate, next : Points END;
TYPE Coordinate = Number;
TYPE Number = LONG REAL;
CONSTANT Zero : Coordinate = 0;
EXCEPTION Oops : Point;`,
    );
    expect(iface.declarations.map((d) => d.name.text)).toEqual([
      "O",
      "Points",
      "Point",
      "Coordinate",
      "Number",
      "Zero",
      "Oops",
    ]);
  });

  it("reads constants of every kind; a REAL constant written as an integer is a real", () => {
    const iface = parseIsl(
      `${H}CONSTANT A : INTEGER = -2147483648;
CONSTANT B : LONG CARDINAL = 18446744073709551615;
CONSTANT C : REAL = 2;
CONSTANT D : SHORT REAL = -1.5e3;
CONSTANT E : BOOLEAN = TRUE;
CONSTANT F : BOOLEAN = FALSE;
CONSTANT G : STRING = "tab\\t \\"quoted\\" back\\\\slash \u00e9\u{1F600}";
CONSTANT H : BYTE = +255;
CONSTANT I : LONG REAL = 1E-3;`,
    );
    expect(iface.declarations.map((d) => (d.kind === "constant" ? d.value : null))).toEqual([
      { kind: "integer", value: -2147483648n, line: 2, column: 24 },
      { kind: "integer", value: 18446744073709551615n, line: 3, column: 30 },
      { kind: "real", value: 2, line: 4, column: 21 },
      { kind: "real", value: -1500, line: 5, column: 27 },
      { kind: "boolean", value: true, line: 6, column: 24 },
      { kind: "boolean", value: false, line: 7, column: 24 },
      { kind: "string", value: 'tab\t "quoted" back\\slash \u00e9\u{1F600}', line: 8, column: 23 },
      { kind: "integer", value: 255n, line: 9, column: 21 },
      { kind: "real", value: 0.001, line: 10, column: 26 },
    ]);
  });

  it("skips comments anywhere, including inside a declaration and across lines", () => {
    const iface = parseIsl(
      `(* a *)INTERFACE(**)Calc(* b *);(* c
  still c *) TYPE (* d *) A (*e*)= (* f
*) REAL (* g *);
(* last *)`,
    );
    expect(iface.declarations).toEqual([
      {
        kind: "type",
        name: { text: "A", line: 2, column: 27 },
        definition: { kind: "alias", type: { kind: "primitive", name: "REAL", line: 3, column: 4 } },
      },
    ]);
  });

  it("comments do not nest: the first '*)' ends a comment", () => {
    expect(problem(`${H}(* outer (* inner *) still outer *)`)).toBe(
      "2:22: expected 'TYPE', 'EXCEPTION', 'CONSTANT' or end of input, got name 'still'",
    );
  });

  it("counts lines across \\n, \\r\\n and \\r, and columns in code points", () => {
    expect(problem("INTERFACE Calc;\r\nTYPE A = REAL;\rTYPE B = Nope;")).toBe("3:10: unknown type 'Nope'");
    expect(problem(`${H}(* \u{1F600}\u00e9 *) TYPE A = Nope;`)).toBe("2:19: unknown type 'Nope'");
    expect(problem(`${H}\tTYPE A = Nope;`)).toBe("2:11: unknown type 'Nope'");
  });

  it("reads hyphenated names (ILU style) and keeps their ISL spelling in the tree", () => {
    const iface = parseIsl(
      `INTERFACE My-Calc;\nTYPE Point-2D = RECORD x-coord : REAL END;\nTYPE O = OBJECT METHODS Get-Value (the-point : Point-2D) END;`,
    );
    expect(iface.name.text).toBe("My-Calc");
    expect(iface.declarations.map((d) => d.name.text)).toEqual(["Point-2D", "O"]);
    expect(definitionOf(iface, "Point-2D")).toMatchObject({ fields: [{ name: { text: "x-coord" } }] });
  });

  it("accepts a byte order mark and UTF-8 bytes", () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...Buffer.from('INTERFACE X; CONSTANT S : STRING = "\u00e9";'),
    ]);
    const iface = parseIsl(bytes, "x.isl");
    expect(iface.declarations[0]).toMatchObject({ value: { value: "\u00e9" } });
    expect(parseIsl("\ufeffINTERFACE X;").name).toEqual({ text: "X", line: 1, column: 11 });
  });

  it("keywords are uppercase: mixed-case spellings are names", () => {
    const iface = parseIsl(`${H}TYPE Integer = INTEGER; TYPE type = Integer;`);
    expect(iface.declarations.map((d) => d.name.text)).toEqual(["Integer", "type"]);
  });
});

describe("ISL parser: Python names", () => {
  it("maps hyphens to underscores and mangles keywords and the generated modules' own names", () => {
    expect(pythonName("Get-Value")).toBe("Get_Value");
    expect(pythonName("a-b-c1")).toBe("a_b_c1");
    expect(pythonName("class")).toBe("class_");
    expect(pythonName("None")).toBe("None_");
    expect(pythonName("in")).toBe("in_");
    expect(pythonName("self")).toBe("self_");
    expect(pythonName("METHODS")).toBe("METHODS_");
    expect(pythonName("TYPE-ID")).toBe("TYPE_ID_");
    expect(pythonName("match")).toBe("match"); // a soft keyword is an ordinary name
    expect(pythonName("Class")).toBe("Class");
  });

  it("parses names that are Python keywords (the generator mangles them)", () => {
    const iface = parseIsl(`${H}TYPE class = OBJECT METHODS def (self : REAL, lambda : REAL) END;`);
    expect(iface.declarations[0]!.name.text).toBe("class");
  });
});

describe("ISL parser: errors", () => {
  const cases: [string, string | Uint8Array, string][] = [
    ["empty input", "", "1:1: empty input: expected 'INTERFACE Name;'"],
    ["only comments", "  \n (* nothing *)\n", "3:1: empty input: expected 'INTERFACE Name;'"],
    [
      "a missing header",
      "TYPE A = REAL;",
      "1:1: missing INTERFACE header: expected 'INTERFACE', got keyword 'TYPE'",
    ],
    ["a header without a name", "INTERFACE;", "1:10: expected the interface name after 'INTERFACE', got ';'"],
    ["a header without ';'", "INTERFACE Calc", "1:15: expected ';' after 'INTERFACE Calc', got end of input"],
    [
      "a second header",
      "INTERFACE Calc; INTERFACE Other;",
      "1:17: a second INTERFACE header (one interface per file)",
    ],
    ["an unknown type", `${H}TYPE Number = Nmber;`, "2:15: unknown type 'Nmber'"],
    [
      "an unknown type in a method",
      `${H}TYPE O = OBJECT METHODS m (a : Nmber) END;`,
      "2:32: unknown type 'Nmber'",
    ],
    ["an unknown result type", `${H}TYPE O = OBJECT METHODS m () : Nope END;`, "2:32: unknown type 'Nope'"],
    ["an unknown field type", `${H}TYPE R = RECORD x : Nope END;`, "2:21: unknown type 'Nope'"],
    ["an unknown element type", `${H}TYPE S = SEQUENCE OF Nope;`, "2:22: unknown type 'Nope'"],
    ["an unknown exception value type", `${H}EXCEPTION E : Nope;`, "2:15: unknown type 'Nope'"],
    ["an unknown constant type", `${H}CONSTANT C : Nope = 1;`, "2:14: unknown type 'Nope'"],
    [
      "a duplicate type",
      `${H}TYPE A = REAL;\nTYPE A = STRING;`,
      "3:6: duplicate declaration of 'A' (first at line 2, column 6)",
    ],
    [
      "a type and an exception of one name",
      `${H}TYPE A = REAL;\nEXCEPTION A;`,
      "3:11: duplicate declaration of 'A' (first at line 2, column 6)",
    ],
    [
      "a duplicate enumeration value",
      `${H}TYPE E = ENUMERATION a, b, a END;`,
      "2:28: duplicate value 'a' in enumeration 'E' (first at line 2, column 22)",
    ],
    [
      "a duplicate field",
      `${H}TYPE R = RECORD x : REAL, x : REAL END;`,
      "2:27: duplicate field 'x' in record 'R' (first at line 2, column 17)",
    ],
    [
      "a duplicate method",
      `${H}TYPE O = OBJECT METHODS m (), m () END;`,
      "2:31: duplicate method 'm' in object type 'O' (first at line 2, column 25)",
    ],
    [
      "a duplicate parameter",
      `${H}TYPE O = OBJECT METHODS m (a : REAL, a : REAL) END;`,
      "2:38: duplicate parameter 'a' in method 'm' (first at line 2, column 28)",
    ],
    [
      "an exception raised twice",
      `${H}EXCEPTION X;\nTYPE O = OBJECT METHODS m () RAISES X, X END END;`,
      "3:40: duplicate exception 'X' in the RAISES list of method 'm' (first at line 3, column 37)",
    ],
    [
      "an unknown exception",
      `${H}TYPE O = OBJECT METHODS m () RAISES Nope END END;`,
      "2:37: unknown exception 'Nope'",
    ],
    [
      "a type raised",
      `${H}TYPE P = REAL;\nTYPE O = OBJECT METHODS m () RAISES P END END;`,
      "3:37: 'P' is a type, not an exception",
    ],
    [
      "a constant raised",
      `${H}CONSTANT P : REAL = 1;\nTYPE O = OBJECT METHODS m () RAISES P END END;`,
      "3:37: 'P' is a constant, not an exception",
    ],
    ["an exception used as a type", `${H}EXCEPTION X;\nTYPE A = X;`, "3:10: 'X' is an exception, not a type"],
    [
      "a constant used as a type",
      `${H}CONSTANT C : INTEGER = 1;\nTYPE A = C;`,
      "3:10: 'C' is a constant, not a type",
    ],
    [
      "an unterminated comment",
      `${H}TYPE A = REAL;\n  (* never closed\nTYPE B = REAL;`,
      "3:3: unterminated comment",
    ],
    ["a missing ';'", `${H}TYPE A = REAL`, "2:14: expected ';' at the end of type 'A', got end of input"],
    [
      "a stray ';'",
      `${H}TYPE A = REAL;;`,
      "2:15: expected 'TYPE', 'EXCEPTION', 'CONSTANT' or end of input, got ';'",
    ],
    [
      "a stray name",
      `${H}Foo;`,
      "2:1: expected 'TYPE', 'EXCEPTION', 'CONSTANT' or end of input, got name 'Foo'",
    ],
    [
      "a nested constructed type",
      `${H}TYPE A = SEQUENCE OF SEQUENCE OF REAL;`,
      "2:22: a SEQUENCE type cannot be written here (the element type of sequence 'A'): declare it as 'TYPE Name = SEQUENCE ...;' and use its name",
    ],
    [
      "an inline record",
      `${H}TYPE O = OBJECT METHODS m () : RECORD END;`,
      "2:32: a RECORD type cannot be written here (the result type of method 'm'): declare it as 'TYPE Name = RECORD ...;' and use its name",
    ],
    [
      "SEQUENCE without OF",
      `${H}TYPE A = SEQUENCE REAL;`,
      "2:19: expected 'OF' after 'SEQUENCE', got keyword 'REAL'",
    ],
    [
      "SHORT STRING",
      `${H}TYPE A = SHORT STRING;`,
      "2:16: expected INTEGER, CARDINAL or REAL after 'SHORT', got keyword 'STRING'",
    ],
    ["LONG alone", `${H}TYPE B = LONG;`, "2:14: expected INTEGER, CARDINAL or REAL after 'LONG', got ';'"],
    [
      "a missing type",
      `${H}TYPE A = ;`,
      "2:10: expected the definition of type 'A' (a type name or a primitive type), got ';'",
    ],
    [
      "an empty enumeration",
      `${H}TYPE A = ENUMERATION END;`,
      "2:22: expected a value name of enumeration 'A', got keyword 'END'",
    ],
    [
      "a missing comma",
      `${H}TYPE A = ENUMERATION a b END;`,
      "2:24: expected ',' or 'END' in enumeration 'A', got name 'b'",
    ],
    [
      "a field without ':'",
      `${H}TYPE A = RECORD x REAL END;`,
      "2:19: expected ':' after field 'x', got keyword 'REAL'",
    ],
    [
      "METHODS without methods",
      `${H}TYPE A = OBJECT METHODS END;`,
      "2:25: expected a method name, got keyword 'END'",
    ],
    [
      "OBJECT without END",
      `${H}TYPE A = OBJECT;`,
      "2:16: expected 'END' or 'METHODS' after 'OBJECT' in type 'A', got ';'",
    ],
    [
      "a method without parameters",
      `${H}TYPE O = OBJECT METHODS m END;`,
      "2:27: expected '(' after method name 'm', got keyword 'END'",
    ],
    [
      "a parameter without ':'",
      `${H}TYPE O = OBJECT METHODS m (a REAL) END;`,
      "2:30: expected ':' after parameter 'a', got keyword 'REAL'",
    ],
    [
      "an unclosed parameter list",
      `${H}TYPE O = OBJECT METHODS m (a : REAL END;`,
      "2:37: expected ')' after the parameters of method 'm', got keyword 'END'",
    ],
    [
      "RAISES without END",
      `${H}EXCEPTION X;\nTYPE O = OBJECT METHODS m () RAISES X END;`,
      "3:42: expected ',' or 'END' in the methods of object type 'O', got ';'",
    ],
    [
      "an asynchronous method with a result",
      `${H}TYPE O = OBJECT METHODS ASYNCHRONOUS m () : REAL END;`,
      "2:45: asynchronous method 'm' cannot return a result",
    ],
    [
      "an asynchronous method with an OUT parameter",
      `${H}TYPE O = OBJECT METHODS ASYNCHRONOUS m (OUT a : REAL) END;`,
      "2:45: asynchronous method 'm' cannot have OUT parameter 'a'",
    ],
    [
      "an asynchronous method with an INOUT parameter",
      `${H}TYPE O = OBJECT METHODS ASYNCHRONOUS m (INOUT a : REAL) END;`,
      "2:47: asynchronous method 'm' cannot have INOUT parameter 'a'",
    ],
    [
      "an asynchronous method that raises",
      `${H}EXCEPTION X;\nTYPE O = OBJECT METHODS ASYNCHRONOUS m () RAISES X END END;`,
      "3:50: asynchronous method 'm' cannot raise exceptions",
    ],
    [
      "an INTEGER out of range",
      `${H}CONSTANT C : INTEGER = 3000000000;`,
      "2:24: constant 'C': 3000000000 is out of range for INTEGER (-2147483648 to 2147483647)",
    ],
    [
      "a negative CARDINAL",
      `${H}CONSTANT C : CARDINAL = -1;`,
      "2:25: constant 'C': -1 is out of range for CARDINAL (0 to 4294967295)",
    ],
    [
      "a SHORT INTEGER out of range",
      `${H}CONSTANT C : SHORT INTEGER = 32768;`,
      "2:30: constant 'C': 32768 is out of range for SHORT INTEGER (-32768 to 32767)",
    ],
    [
      "a BYTE out of range",
      `${H}CONSTANT C : BYTE = 256;`,
      "2:21: constant 'C': 256 is out of range for BYTE (0 to 255)",
    ],
    [
      "a real INTEGER",
      `${H}CONSTANT C : INTEGER = 1.5;`,
      "2:24: constant 'C' of type INTEGER needs an integer, got a real number",
    ],
    [
      "an integer STRING",
      `${H}CONSTANT C : STRING = 1;`,
      "2:23: constant 'C' of type STRING needs a string, got the integer 1",
    ],
    [
      "a string BOOLEAN",
      `${H}CONSTANT C : BOOLEAN = "x";`,
      "2:24: constant 'C' of type BOOLEAN needs TRUE or FALSE, got a string",
    ],
    [
      "a boolean REAL",
      `${H}CONSTANT C : REAL = TRUE;`,
      "2:21: constant 'C' of type REAL needs a number, got TRUE",
    ],
    [
      "a REAL overflow",
      `${H}CONSTANT C : REAL = 1e999;`,
      "2:21: constant 'C': the value is out of range for REAL",
    ],
    [
      "a SHORT REAL overflow",
      `${H}CONSTANT C : SHORT REAL = -1e39;`,
      "2:27: constant 'C': the value is out of range for SHORT REAL",
    ],
    [
      "a constant of a record type",
      `${H}TYPE P = RECORD x : REAL END;\nCONSTANT C : P = 1;`,
      "3:14: constant 'C' must have a primitive type ('P' is a record)",
    ],
    [
      "a constant through an alias of an enumeration",
      `${H}TYPE E = ENUMERATION a END;\nTYPE F = E;\nCONSTANT C : F = 1;`,
      "4:14: constant 'C' must have a primitive type ('E' is an enumeration)",
    ],
    [
      "a constant without a value",
      `${H}CONSTANT C : INTEGER;`,
      "2:21: expected '=' before the value of constant 'C', got ';'",
    ],
    [
      "a constant without a type",
      `${H}CONSTANT C = 1;`,
      "2:12: expected ':' after 'CONSTANT C' (a constant has a type), got '='",
    ],
    [
      "a signed boolean",
      `${H}CONSTANT C : INTEGER = -TRUE;`,
      "2:25: expected a number after '-', got keyword 'TRUE'",
    ],
    [
      "a name as a value",
      `${H}CONSTANT C : INTEGER = D;`,
      "2:24: expected the value of constant 'C' (a number, a string, TRUE or FALSE), got name 'D'",
    ],
    [
      "an alias cycle",
      `${H}TYPE A = B;\nTYPE B = C;\nTYPE C = A;`,
      "2:6: type 'A' is defined as itself (A = B = C = A)",
    ],
    ["a self alias", `${H}TYPE A = A;`, "2:6: type 'A' is defined as itself (A = A)"],
    [
      "an alias cycle reached from outside",
      `${H}TYPE X = B;\nTYPE B = C;\nTYPE C = B;`,
      "3:6: type 'B' is defined as itself (B = C = B)",
    ],
    [
      "a record holding itself",
      `${H}TYPE R = RECORD next : R END;`,
      "2:6: record 'R' contains itself (R.next -> R)",
    ],
    [
      "records holding each other through an alias",
      `${H}TYPE R = RECORD s : S2 END;\nTYPE S2 = S;\nTYPE S = RECORD r : R END;`,
      "2:6: record 'R' contains itself (R.s -> S.r -> R)",
    ],
    [
      "an underscore in a name",
      `${H}TYPE Get_Value = REAL;`,
      "2:9: unexpected character '_' (ISL names use hyphens, not underscores)",
    ],
    ["a trailing hyphen", `${H}TYPE A- = REAL;`, "2:7: name 'A-' ends with a hyphen"],
    ["two hyphens", `${H}TYPE A--B = REAL;`, "2:7: name 'A--B' has two hyphens in a row"],
    ["a stray character", `${H}TYPE A = REAL; @`, "2:16: unexpected character '@'"],
    ["a control character", `${H}TYPE A = REAL; \u0001`, "2:16: unexpected character U+0001"],
    ["a non-ASCII name", `${H}TYPE \u00e9 = REAL;`, "2:6: unexpected character U+00E9"],
    ["an unterminated string", `${H}CONSTANT S : STRING = "abc;`, "2:23: unterminated string"],
    ["a line break in a string", `${H}CONSTANT S : STRING = "a\nb";`, "2:23: unterminated string"],
    ["an unknown escape", `${H}CONSTANT S : STRING = "a\\qb";`, "2:25: unknown escape '\\q' in a string"],
    [
      "an escaped non-ASCII character",
      `${H}CONSTANT S : STRING = "a\\\u00e9";`,
      "2:25: unknown escape '\\' before U+00E9 in a string",
    ],
    ["a malformed number", `${H}CONSTANT N : INTEGER = 12abc;`, "2:26: malformed number '12a'"],
    ["a malformed exponent", `${H}CONSTANT N : REAL = 1e;`, "2:22: malformed exponent in a number"],
    [
      "a huge integer",
      `${H}CONSTANT N : INTEGER = ${"9".repeat(101)};`,
      "2:24: integer literal too long (more than 100 digits)",
    ],
    [
      "a keyword as a name",
      `${H}TYPE END = REAL;`,
      "2:6: expected a type name after 'TYPE', got keyword 'END'",
    ],
    ["a NUL character", "INTERFACE Calc;\0", "1:16: NUL character in the input"],
    [
      "invalid UTF-8",
      new Uint8Array([...Buffer.from(`${H}TYPE A = `), 0xff, 0x41]),
      "2:10: invalid UTF-8 (byte 0xff)",
    ],
    [
      "a truncated UTF-8 sequence",
      new Uint8Array([...Buffer.from(`${H}(* \u00e9 *) `), 0xe2, 0x82]),
      "2:9: invalid UTF-8 (byte 0xe2)",
    ],
    [
      "an encoded surrogate",
      new Uint8Array([...Buffer.from(H), 0xed, 0xa0, 0x80]),
      "2:1: invalid UTF-8 (byte 0xed)",
    ],
    ["an overlong encoding", new Uint8Array([0xc0, 0xaf]), "1:1: invalid UTF-8 (byte 0xc0)"],
    ["a lone surrogate in text", `${H}(* \ud800 *)`, "2:4: invalid text: a lone surrogate"],
  ];

  it.each(cases)("reports %s", (_what, source, expected) => {
    expect(problem(source)).toBe(expected);
  });

  it("reports the first problem in the file when there are several", () => {
    expect(problem(`${H}TYPE A = Later;\nTYPE B = Early;\nTYPE A = REAL;`)).toBe(
      "2:10: unknown type 'Later'",
    );
    expect(problem(`${H}TYPE R = RECORD x : Nope, x : REAL END;`)).toBe("2:21: unknown type 'Nope'");
    // Syntax first: the parser reads tokens as it goes, so a bad character after a syntax error is not seen.
    expect(problem(`${H}TYPE A = ;\n@`)).toBe(
      "2:10: expected the definition of type 'A' (a type name or a primitive type), got ';'",
    );
    expect(problem(`${H}TYPE A = Nope;\nTYPE B = ;`)).toBe(
      "3:10: expected the definition of type 'B' (a type name or a primitive type), got ';'",
    );
  });

  it("names the path it was given", () => {
    const error = (() => {
      try {
        parseIsl("INTERFACE", "/site/lib.zip/calc.isl");
      } catch (e) {
        return e as IslSyntaxError;
      }
      throw new Error("no error");
    })();
    expect(error.message).toBe(
      "/site/lib.zip/calc.isl:1:10: expected the interface name after 'INTERFACE', got end of input",
    );
    expect([error.path, error.line, error.column]).toEqual(["/site/lib.zip/calc.isl", 1, 10]);
  });

  it("shortens the text of a long cycle", () => {
    const n = 20;
    const decls = Array.from({ length: n }, (_, i) => `TYPE T${i} = T${(i + 1) % n};`).join("\n");
    expect(problem(H + decls)).toBe(
      "2:6: type 'T0' is defined as itself (T0 = T1 = T2 = T3 = T4 = T5 = ... = T0)",
    );
    const records = Array.from({ length: n }, (_, i) => `TYPE R${i} = RECORD f : R${(i + 1) % n} END;`).join(
      "\n",
    );
    expect(problem(H + records)).toBe(
      "2:6: record 'R0' contains itself (R0.f -> R1.f -> R2.f -> R3.f -> R4.f -> R5.f -> ... -> R19.f -> R0)",
    );
  });
});
