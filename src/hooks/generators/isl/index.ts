/** The ISL generator and its front end (see docs/isl.md). */

export type {
  ConstantDeclaration,
  ConstantValue,
  Declaration,
  ExceptionDeclaration,
  Field,
  IslInterface,
  IslName,
  Method,
  Parameter,
  ParameterMode,
  PrimitiveType,
  TypeDeclaration,
  TypeDefinition,
  TypeRef,
} from "./ast.js";
export { IslSyntaxError, type Position } from "./errors.js";
export { islGenerator } from "./isl-generator.js";
export { parseIsl } from "./parse-isl.js";
export { pythonName } from "./python-names.js";
