/**
 * What a marshal stream holds, as JS values. Chosen for decoding speed (W3 measures it) and to keep every
 * Python distinction a pyc can carry:
 *
 * | Python            | here                                                                     |
 * |-------------------|--------------------------------------------------------------------------|
 * | None, True, False | null, true, false                                                        |
 * | int               | number when it is a safe integer, else bigint (never a float)           |
 * | float             | {@link MarshalFloat} (boxed, so that 1.0 stays a float)                  |
 * | complex           | {@link MarshalComplex}                                                   |
 * | str               | string (UTF-16; lone surrogates kept exactly)                            |
 * | bytes             | Uint8Array                                                               |
 * | tuple             | a readonly JS array (the common container: no wrapper, not frozen)       |
 * | list              | {@link MarshalList}                                                      |
 * | dict              | {@link MarshalDict} (pairs in stream order)                              |
 * | set / frozenset   | {@link MarshalSet} (elements in stream order)                            |
 * | slice (3.14)      | {@link MarshalSlice}                                                     |
 * | Ellipsis          | {@link ELLIPSIS}                                                         |
 * | StopIteration     | {@link STOP_ITERATION} (the class object)                                |
 * | code              | {@link CodeObject}                                                       |
 *
 * This module is a leaf: it imports nothing else of the project.
 */
import type { CodeObject } from "./code-object.js";

export type MarshalValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MarshalTuple
  | MarshalFloat
  | MarshalComplex
  | MarshalList
  | MarshalDict
  | MarshalSet
  | MarshalSlice
  | MarshalSingleton
  | CodeObject;

/** A tuple: an ordinary array, never mutated once decoded. */
export type MarshalTuple = readonly MarshalValue[];

export class MarshalFloat {
  constructor(readonly value: number) {}
}

export class MarshalComplex {
  constructor(
    readonly real: number,
    readonly imag: number,
  ) {}
}

export class MarshalList {
  constructor(readonly items: MarshalValue[]) {}
}

export class MarshalDict {
  constructor(readonly entries: [MarshalValue, MarshalValue][]) {}
}

export class MarshalSet {
  constructor(
    readonly kind: "set" | "frozenset",
    readonly items: MarshalValue[],
  ) {}
}

export class MarshalSlice {
  constructor(
    readonly start: MarshalValue,
    readonly stop: MarshalValue,
    readonly step: MarshalValue,
  ) {}
}

export class MarshalSingleton {
  constructor(readonly name: "Ellipsis" | "StopIteration") {}
}

export const ELLIPSIS = new MarshalSingleton("Ellipsis");
export const STOP_ITERATION = new MarshalSingleton("StopIteration");

export function isTuple(value: MarshalValue): value is MarshalTuple {
  return Array.isArray(value);
}
