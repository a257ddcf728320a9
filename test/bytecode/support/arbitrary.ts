/** fast-check generators of marshal values, code objects of each layout included. */
import fc from "fast-check";
import {
  type CodeLayout,
  type CodeObject,
  deriveLocals,
  ELLIPSIS,
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSlice,
  type MarshalValue,
  makeCodeObject,
  STOP_ITERATION,
} from "../../../src/bytecode/index.js";

/** An int as the decoder returns it: number when safe, else bigint. */
const normalize = (b: bigint): number | bigint =>
  b >= -(2n ** 53n) + 1n && b <= 2n ** 53n - 1n ? Number(b) : b;

export const intArb: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 15,
    2 ** 30,
    2 ** 45,
    2 ** 53 - 1,
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(normalize),
  fc.bigInt({ min: -(2n ** 400n), max: 2n ** 400n }).map(normalize),
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({
    unit: fc.oneof(loneSurrogate, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
    maxLength: 8,
  }),
  fc.string({ unit: "grapheme-ascii", minLength: 250, maxLength: 300 }),
  fc.constantFrom("", "a", "__init__", "\udc80", "\ud83d\ude00", "café", "\u0000"),
);

const leafArb: fc.Arbitrary<MarshalValue> = fc.oneof(
  fc.constantFrom<MarshalValue>(null, true, false, ELLIPSIS, STOP_ITERATION),
  intArb,
  fc.double().map((x) => new MarshalFloat(x)),
  fc.tuple(fc.double(), fc.double()).map(([r, i]) => new MarshalComplex(r, i)),
  stringArb,
  fc.uint8Array({ maxLength: 24 }),
);

export interface ValueArbOptions {
  readonly layout: CodeLayout;
  /** Slices exist only in marshal v5. */
  readonly slices: boolean;
  readonly maxDepth?: number;
}

/** A code object of `layout` whose consts come from `consts`, with consistent derived fields. */
export function codeArb(layout: CodeLayout, consts: fc.Arbitrary<MarshalValue>): fc.Arbitrary<CodeObject> {
  const names = fc.array(stringArb, { maxLength: 4 });
  const bytes = fc.uint8Array({ maxLength: 16 });
  return fc
    .record({
      argcount: fc.integer({ min: 0, max: 6 }),
      posonly: fc.integer({ min: 0, max: 6 }),
      kwonlyargcount: fc.integer({ min: 0, max: 4 }),
      nlocals: fc.integer({ min: 0, max: 10 }),
      stacksize: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      flags: fc.integer(),
      code: fc.uint8Array({ maxLength: 8 }).map((c) => (c.length % 2 === 0 ? c : c.subarray(1))),
      consts: fc.array(consts, { maxLength: 4 }),
      names,
      varnames: names,
      freevars: names,
      cellvars: names,
      localsplus: fc.array(fc.tuple(stringArb, fc.integer({ min: 0, max: 255 })), { maxLength: 5 }),
      filename: stringArb,
      name: stringArb,
      qualname: stringArb,
      firstlineno: fc.integer(),
      linetable: bytes,
      exceptiontable: bytes,
    })
    .map((f) => {
      const posonlyargcount = layout === "3.6" ? 0 : Math.min(f.posonly, f.argcount);
      if (layout !== "3.11") {
        return makeCodeObject({
          layout,
          argcount: f.argcount,
          posonlyargcount,
          kwonlyargcount: f.kwonlyargcount,
          nlocals: f.nlocals,
          stacksize: f.stacksize,
          flags: f.flags,
          code: f.code,
          consts: f.consts,
          names: f.names,
          varnames: f.varnames,
          freevars: f.freevars,
          cellvars: f.cellvars,
          localsplusnames: null,
          localspluskinds: null,
          filename: f.filename,
          name: f.name,
          qualname: f.name,
          firstlineno: f.firstlineno,
          linetable: f.linetable,
          exceptiontable: null,
        });
      }
      const localsplusnames = f.localsplus.map(([n]) => n);
      const localspluskinds = Uint8Array.from(f.localsplus.map(([, k]) => k));
      const derived = deriveLocals(localsplusnames, localspluskinds);
      return makeCodeObject({
        layout,
        argcount: f.argcount,
        posonlyargcount,
        kwonlyargcount: f.kwonlyargcount,
        nlocals: derived.varnames.length,
        stacksize: f.stacksize,
        flags: f.flags,
        code: f.code,
        consts: f.consts,
        names: f.names,
        varnames: derived.varnames,
        freevars: derived.freevars,
        cellvars: derived.cellvars,
        localsplusnames,
        localspluskinds,
        filename: f.filename,
        name: f.name,
        qualname: f.qualname,
        firstlineno: f.firstlineno,
        linetable: f.linetable,
        exceptiontable: f.exceptiontable,
      });
    });
}

/**
 * Any marshal value: nested containers, shared sub-objects (so that v3+ writes references), dict keys and
 * set elements restricted to hashable values (the reader rejects the others, as CPython does).
 */
export function marshalValueArb(options: ValueArbOptions): fc.Arbitrary<MarshalValue> {
  const { value } = fc.letrec<{ value: MarshalValue; hashable: MarshalValue }>((tie) => {
    const hashable = fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leafArb,
      fc.array(tie("hashable"), { maxLength: 3 }),
      fc.array(tie("hashable"), { maxLength: 3 }).map((items) => new MarshalSet("frozenset", items)),
      ...(options.slices
        ? [
            fc
              .tuple(tie("hashable"), tie("hashable"), tie("hashable"))
              .map(([a, b, c]) => new MarshalSlice(a, b, c)),
          ]
        : []),
    );
    const anyValue = tie("value");
    const containers: fc.Arbitrary<MarshalValue>[] = [
      fc.array(anyValue, { maxLength: 4 }),
      fc.array(fc.constant(null), { minLength: 256, maxLength: 260 }),
      fc.array(anyValue, { maxLength: 4 }).map((items) => new MarshalList(items)),
      fc
        .array(fc.tuple(hashable, anyValue), { maxLength: 3 })
        .map((entries) => new MarshalDict(entries as [MarshalValue, MarshalValue][])),
      fc.array(hashable, { maxLength: 3 }).map((items) => new MarshalSet("set", items)),
      fc.array(hashable, { maxLength: 3 }).map((items) => new MarshalSet("frozenset", items)),
      anyValue.map((v) => [v, v, [v]]),
      codeArb(options.layout, anyValue),
    ];
    if (options.slices) {
      containers.push(fc.tuple(anyValue, anyValue, anyValue).map(([a, b, c]) => new MarshalSlice(a, b, c)));
    }
    return {
      hashable,
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true, maxDepth: options.maxDepth ?? 4 },
        leafArb,
        ...containers,
      ),
    };
  });
  return value;
}
