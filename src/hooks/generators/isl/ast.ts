/**
 * The syntax tree of one ISL interface. Names keep their ISL spelling (`Get-Value`); the Python spelling is
 * made by python-names.ts. Every node that can be named in an error carries its position.
 */
import type { Position } from "./errors.js";

/** A name as written, where it was written. */
export interface IslName extends Position {
  readonly text: string;
}

export type PrimitiveType =
  | "INTEGER"
  | "SHORT INTEGER"
  | "LONG INTEGER"
  | "CARDINAL"
  | "SHORT CARDINAL"
  | "LONG CARDINAL"
  | "REAL"
  | "SHORT REAL"
  | "LONG REAL"
  | "BOOLEAN"
  | "STRING"
  | "BYTE";

/** A use of a type: a primitive, or the name of a type declared in the interface (before or after). */
export type TypeRef =
  | ({ readonly kind: "primitive"; readonly name: PrimitiveType } & Position)
  | { readonly kind: "named"; readonly name: IslName };

export interface Field {
  readonly name: IslName;
  readonly type: TypeRef;
}

export type ParameterMode = "IN" | "OUT" | "INOUT";

export interface Parameter {
  readonly mode: ParameterMode;
  readonly name: IslName;
  readonly type: TypeRef;
}

export interface Method {
  readonly name: IslName;
  readonly asynchronous: boolean;
  readonly parameters: readonly Parameter[];
  /** The result type; null for none. */
  readonly result: TypeRef | null;
  /** Exceptions named after RAISES, in order. */
  readonly raises: readonly IslName[];
}

/** What follows `TYPE Name =`. */
export type TypeDefinition =
  | { readonly kind: "alias"; readonly type: TypeRef }
  | { readonly kind: "sequence"; readonly element: TypeRef }
  | { readonly kind: "enumeration"; readonly values: readonly IslName[] }
  | { readonly kind: "record"; readonly fields: readonly Field[] }
  | { readonly kind: "object"; readonly methods: readonly Method[] };

export type ConstantValue =
  | ({ readonly kind: "integer"; readonly value: bigint } & Position)
  | ({ readonly kind: "real"; readonly value: number } & Position)
  | ({ readonly kind: "boolean"; readonly value: boolean } & Position)
  | ({ readonly kind: "string"; readonly value: string } & Position);

export interface TypeDeclaration {
  readonly kind: "type";
  readonly name: IslName;
  readonly definition: TypeDefinition;
}

export interface ExceptionDeclaration {
  readonly kind: "exception";
  readonly name: IslName;
  /** The type of the value the exception carries; null for none. */
  readonly valueType: TypeRef | null;
}

export interface ConstantDeclaration {
  readonly kind: "constant";
  readonly name: IslName;
  readonly type: TypeRef;
  readonly value: ConstantValue;
}

export type Declaration = TypeDeclaration | ExceptionDeclaration | ConstantDeclaration;

/** One parsed (and, from parseIsl, checked) `.isl` file. */
export interface IslInterface {
  readonly name: IslName;
  /** In source order. */
  readonly declarations: readonly Declaration[];
}
