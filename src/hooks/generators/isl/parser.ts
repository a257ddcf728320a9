/**
 * ISL syntax: text → IslInterface, pulling tokens from the lexer one at a time (so the first problem in
 * the text is the one reported). Recursive descent without recursion: a type is used by name or as a
 * primitive, and only a `TYPE` declaration defines a constructed type (SEQUENCE, ENUMERATION, RECORD,
 * OBJECT), so every construct has a fixed depth. Only syntax is checked here; names are resolved by
 * checker.ts.
 *
 *   file        = "INTERFACE" name ";" { declaration }
 *   declaration = "TYPE" name "=" definition ";"
 *               | "EXCEPTION" name [ ":" type ] ";"
 *               | "CONSTANT" name ":" type "=" constant ";"
 *   definition  = type | "SEQUENCE" "OF" type | "ENUMERATION" name { "," name } "END"
 *               | "RECORD" field { "," field } "END" | "OBJECT" [ "METHODS" method { "," method } ] "END"
 *   field       = name ":" type
 *   method      = [ "ASYNCHRONOUS" ] name "(" [ parameter { "," parameter } ] ")" [ ":" type ]
 *                 [ "RAISES" name { "," name } "END" ]
 *   parameter   = [ "IN" | "OUT" | "INOUT" ] name ":" type
 *   type        = primitive | name
 *   primitive   = [ "SHORT" | "LONG" ] ( "INTEGER" | "CARDINAL" | "REAL" ) | "BOOLEAN" | "STRING" | "BYTE"
 *   constant    = [ "-" | "+" ] number | string | "TRUE" | "FALSE"
 */
import type {
  ConstantValue,
  Declaration,
  Field,
  IslInterface,
  IslName,
  Method,
  Parameter,
  ParameterMode,
  PrimitiveType,
  TypeDefinition,
  TypeRef,
} from "./ast.js";
import { IslSyntaxError } from "./errors.js";
import { describeToken, Lexer, type Token } from "./lexer.js";

const SIZED = new Set(["INTEGER", "CARDINAL", "REAL"]);
const UNSIZED = new Set(["BOOLEAN", "STRING", "BYTE"]);
const CONSTRUCTED = new Set(["SEQUENCE", "ENUMERATION", "RECORD", "OBJECT"]);

class Parser {
  /** The next token (one token of lookahead). */
  private current: Token;

  constructor(
    private readonly lexer: Lexer,
    private readonly path: string,
  ) {
    this.current = lexer.next();
  }

  private peek(): Token {
    return this.current;
  }

  private next(): Token {
    const token = this.current;
    if (token.kind !== "eof") this.current = this.lexer.next();
    return token;
  }

  private fail(token: Token, reason: string): never {
    throw new IslSyntaxError(this.path, token.line, token.column, reason);
  }

  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token.kind === "keyword" && token.text === text;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === "punct" && token.text === text;
  }

  private expectKeyword(text: string, context: string): Token {
    if (!this.isKeyword(text))
      this.fail(this.peek(), `expected '${text}' ${context}, got ${describeToken(this.peek())}`);
    return this.next();
  }

  private expectPunct(text: string, context: string): Token {
    if (!this.isPunct(text))
      this.fail(this.peek(), `expected '${text}' ${context}, got ${describeToken(this.peek())}`);
    return this.next();
  }

  private name(what: string): IslName {
    const token = this.peek();
    if (token.kind !== "name") this.fail(token, `expected ${what}, got ${describeToken(token)}`);
    this.next();
    return { text: token.text, line: token.line, column: token.column };
  }

  parseFile(): IslInterface {
    const first = this.peek();
    if (first.kind === "eof") this.fail(first, "empty input: expected 'INTERFACE Name;'");
    if (!this.isKeyword("INTERFACE")) {
      this.fail(first, `missing INTERFACE header: expected 'INTERFACE', got ${describeToken(first)}`);
    }
    this.next();
    const name = this.name("the interface name after 'INTERFACE'");
    this.expectPunct(";", `after 'INTERFACE ${name.text}'`);
    const declarations: Declaration[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === "eof") break;
      if (token.kind === "keyword") {
        if (token.text === "TYPE") {
          declarations.push(this.typeDeclaration());
          continue;
        }
        if (token.text === "EXCEPTION") {
          declarations.push(this.exceptionDeclaration());
          continue;
        }
        if (token.text === "CONSTANT") {
          declarations.push(this.constantDeclaration());
          continue;
        }
        if (token.text === "INTERFACE")
          this.fail(token, "a second INTERFACE header (one interface per file)");
      }
      this.fail(
        token,
        `expected 'TYPE', 'EXCEPTION', 'CONSTANT' or end of input, got ${describeToken(token)}`,
      );
    }
    return { name, declarations };
  }

  private endOf(what: string): void {
    this.expectPunct(";", `at the end of ${what}`);
  }

  private typeDeclaration(): Declaration {
    this.next();
    const name = this.name("a type name after 'TYPE'");
    this.expectPunct("=", `after 'TYPE ${name.text}'`);
    const definition = this.definition(name);
    this.endOf(`type '${name.text}'`);
    return { kind: "type", name, definition };
  }

  private exceptionDeclaration(): Declaration {
    this.next();
    const name = this.name("an exception name after 'EXCEPTION'");
    let valueType: TypeRef | null = null;
    if (this.isPunct(":")) {
      this.next();
      valueType = this.typeRef(`the value type of exception '${name.text}'`);
    }
    this.endOf(`exception '${name.text}'`);
    return { kind: "exception", name, valueType };
  }

  private constantDeclaration(): Declaration {
    this.next();
    const name = this.name("a constant name after 'CONSTANT'");
    this.expectPunct(":", `after 'CONSTANT ${name.text}' (a constant has a type)`);
    const type = this.typeRef(`the type of constant '${name.text}'`);
    this.expectPunct("=", `before the value of constant '${name.text}'`);
    const value = this.constantValue(name);
    this.endOf(`constant '${name.text}'`);
    return { kind: "constant", name, type, value };
  }

  private constantValue(name: IslName): ConstantValue {
    const token = this.next();
    const at = { line: token.line, column: token.column };
    if (token.kind === "string") return { kind: "string", value: token.text, ...at };
    if (token.kind === "keyword" && (token.text === "TRUE" || token.text === "FALSE")) {
      return { kind: "boolean", value: token.text === "TRUE", ...at };
    }
    let sign = "";
    let number = token;
    if (token.kind === "punct" && (token.text === "-" || token.text === "+")) {
      sign = token.text;
      number = this.next();
      if (number.kind !== "integer" && number.kind !== "real") {
        this.fail(number, `expected a number after '${sign}', got ${describeToken(number)}`);
      }
    }
    if (number.kind === "integer") {
      const magnitude = BigInt(number.text);
      return { kind: "integer", value: sign === "-" ? -magnitude : magnitude, ...at };
    }
    if (number.kind === "real") {
      const magnitude = Number(number.text);
      return { kind: "real", value: sign === "-" ? -magnitude : magnitude, ...at };
    }
    return this.fail(
      token,
      `expected the value of constant '${name.text}' (a number, a string, TRUE or FALSE), got ${describeToken(token)}`,
    );
  }

  /** A type used by a declaration, field, parameter or result: a primitive or a declared type's name. */
  private typeRef(what: string): TypeRef {
    const token = this.peek();
    if (token.kind === "name") {
      this.next();
      return { kind: "named", name: { text: token.text, line: token.line, column: token.column } };
    }
    if (token.kind === "keyword") {
      const at = { line: token.line, column: token.column };
      if (SIZED.has(token.text) || UNSIZED.has(token.text)) {
        this.next();
        return { kind: "primitive", name: token.text as PrimitiveType, ...at };
      }
      if (token.text === "SHORT" || token.text === "LONG") {
        this.next();
        const size = this.peek();
        if (size.kind !== "keyword" || !SIZED.has(size.text)) {
          this.fail(
            size,
            `expected INTEGER, CARDINAL or REAL after '${token.text}', got ${describeToken(size)}`,
          );
        }
        this.next();
        return { kind: "primitive", name: `${token.text} ${size.text}` as PrimitiveType, ...at };
      }
      if (CONSTRUCTED.has(token.text)) {
        this.fail(
          token,
          `a ${token.text} type cannot be written here (${what}): declare it as 'TYPE Name = ${token.text} ...;' and use its name`,
        );
      }
    }
    return this.fail(
      token,
      `expected ${what} (a type name or a primitive type), got ${describeToken(token)}`,
    );
  }

  private definition(name: IslName): TypeDefinition {
    const token = this.peek();
    if (token.kind === "keyword") {
      switch (token.text) {
        case "SEQUENCE": {
          this.next();
          this.expectKeyword("OF", "after 'SEQUENCE'");
          return { kind: "sequence", element: this.typeRef(`the element type of sequence '${name.text}'`) };
        }
        case "ENUMERATION": {
          this.next();
          const values: IslName[] = [this.name(`a value name of enumeration '${name.text}'`)];
          while (this.listContinues(`enumeration '${name.text}'`)) {
            values.push(this.name(`a value name of enumeration '${name.text}'`));
          }
          return { kind: "enumeration", values };
        }
        case "RECORD": {
          this.next();
          const fields: Field[] = [this.field(name)];
          while (this.listContinues(`record '${name.text}'`)) fields.push(this.field(name));
          return { kind: "record", fields };
        }
        case "OBJECT": {
          this.next();
          const methods: Method[] = [];
          if (this.isKeyword("METHODS")) {
            this.next();
            methods.push(this.method());
            while (this.listContinues(`the methods of object type '${name.text}'`))
              methods.push(this.method());
          } else {
            this.expectKeyword("END", `or 'METHODS' after 'OBJECT' in type '${name.text}'`);
          }
          return { kind: "object", methods };
        }
      }
    }
    return { kind: "alias", type: this.typeRef(`the definition of type '${name.text}'`) };
  }

  /** After a list item: `,` (true: another item follows) or `END` (false: consumed). */
  private listContinues(what: string): boolean {
    if (this.isPunct(",")) {
      this.next();
      return true;
    }
    if (this.isKeyword("END")) {
      this.next();
      return false;
    }
    return this.fail(this.peek(), `expected ',' or 'END' in ${what}, got ${describeToken(this.peek())}`);
  }

  private field(record: IslName): Field {
    const name = this.name(`a field name of record '${record.text}'`);
    this.expectPunct(":", `after field '${name.text}'`);
    return { name, type: this.typeRef(`the type of field '${name.text}'`) };
  }

  private method(): Method {
    let asynchronous = false;
    if (this.isKeyword("ASYNCHRONOUS")) {
      this.next();
      asynchronous = true;
    }
    const name = this.name("a method name");
    this.expectPunct("(", `after method name '${name.text}'`);
    const parameters: Parameter[] = [];
    if (!this.isPunct(")")) {
      parameters.push(this.parameter(name));
      while (this.isPunct(",")) {
        this.next();
        parameters.push(this.parameter(name));
      }
    }
    this.expectPunct(")", `after the parameters of method '${name.text}'`);
    let result: TypeRef | null = null;
    if (this.isPunct(":")) {
      this.next();
      result = this.typeRef(`the result type of method '${name.text}'`);
    }
    const raises: IslName[] = [];
    if (this.isKeyword("RAISES")) {
      this.next();
      raises.push(this.name(`an exception name after 'RAISES'`));
      while (this.listContinues(`the RAISES list of method '${name.text}'`)) {
        raises.push(this.name(`an exception name after ','`));
      }
    }
    return { name, asynchronous, parameters, result, raises };
  }

  private parameter(method: IslName): Parameter {
    let mode: ParameterMode = "IN";
    const token = this.peek();
    if (token.kind === "keyword" && (token.text === "IN" || token.text === "OUT" || token.text === "INOUT")) {
      this.next();
      mode = token.text;
    }
    const name = this.name(`a parameter name of method '${method.text}'`);
    this.expectPunct(":", `after parameter '${name.text}'`);
    return { mode, name, type: this.typeRef(`the type of parameter '${name.text}'`) };
  }
}

/** Parse ISL text into an interface; syntax only (see checker.ts for meaning). */
export function parseSyntax(text: string, path: string): IslInterface {
  return new Parser(new Lexer(text, path), path).parseFile();
}
