/**
 * Archives whose central directory runs into the end of the file inside a record, for each way CPython's
 * `_read_directory` loop can meet the end: the last real record's comment swallows the end record and all
 * but `left` bytes of the file, so the loop's next read finds exactly `left` bytes — the last bytes of
 * `tail`, appended after the end record (which `rfind` still finds, `tail` holding no end signature).
 */
import { buildZip, concat, setU16 } from "./zip-writer.js";

const SIG_CENTRAL = [0x50, 0x4b, 0x01, 0x02];

export interface CutCase {
  readonly label: string;
  /** What CPython 3.11 does: the error, or the names read. */
  readonly expected:
    | { readonly error: "EOFError" | "ZipImportError" }
    | { readonly names: readonly string[] };
  readonly bytes: Uint8Array;
}

/** A central record's fixed part with the given lengths (the rest zero). */
export function centralFixed(nameLength: number, extraLength: number, commentLength: number): Uint8Array {
  const b = new Uint8Array(46);
  b.set(SIG_CENTRAL, 0);
  const view = new DataView(b.buffer);
  view.setUint16(28, nameLength, true);
  view.setUint16(30, extraLength, true);
  view.setUint16(32, commentLength, true);
  return b;
}

/** The file: `a.py` and `b.py`, then `b.py`'s comment covering everything up to the last `left` bytes of `tail`. */
export function cutArchive(tail: Uint8Array): (left: number) => Uint8Array {
  const layout = buildZip({
    entries: [
      { name: "a.py", data: "A = 1\n" },
      { name: "b.py", data: "B = 2\n" },
    ],
  });
  const lastRecord = layout.centralOffsets[1]!;
  const commentStart = lastRecord + 46 + "b.py".length;
  return (left) => {
    const bytes = concat(layout.bytes, tail);
    const commentLength = bytes.length - left - commentStart;
    return setU16(bytes, lastRecord + 32, commentLength);
  };
}

const filler = (n: number, byte = 0x2e) => new Uint8Array(n).fill(byte);

export function cutCases(): CutCase[] {
  const cases: CutCase[] = [];
  const plain = cutArchive(filler(80));
  cases.push({ label: "no byte left", expected: { error: "EOFError" }, bytes: plain(0) });
  cases.push({ label: "3 bytes left", expected: { error: "EOFError" }, bytes: plain(3) });
  cases.push({ label: "10 foreign bytes left", expected: { names: ["a.py", "b.py"] }, bytes: plain(10) });
  cases.push({ label: "4 foreign bytes left", expected: { names: ["a.py", "b.py"] }, bytes: plain(4) });
  const sig = (rest: Uint8Array) => cutArchive(concat(filler(40), new Uint8Array(SIG_CENTRAL), rest));
  cases.push({
    label: "a signature and 6 bytes",
    expected: { error: "EOFError" },
    bytes: sig(filler(6))(10),
  });
  cases.push({
    label: "a signature and 41 bytes",
    expected: { error: "EOFError" },
    bytes: sig(filler(41))(45),
  });
  const fixed = (n: number, x: number, c: number, after: Uint8Array) =>
    cutArchive(concat(filler(40), centralFixed(n, x, c), after))(46 + after.length);
  cases.push({
    label: "a whole fixed part, the name past the end",
    expected: { error: "ZipImportError" },
    bytes: fixed(10, 0, 0, filler(4, 0x61)),
  });
  cases.push({
    label: "a whole fixed part and name, the extra field past the end",
    expected: { error: "ZipImportError" },
    bytes: fixed(4, 8, 0, new Uint8Array([0x63, 0x2e, 0x70, 0x79, 1, 2])),
  });
  cases.push({
    label: "a whole fixed part and name, the comment past the end",
    expected: { error: "ZipImportError" },
    bytes: fixed(4, 0, 3, new Uint8Array([0x63, 0x2e, 0x70, 0x79, 1])),
  });
  cases.push({
    label: "a last record that ends the file exactly",
    expected: { error: "EOFError" },
    bytes: fixed(4, 0, 0, new Uint8Array([0x63, 0x2e, 0x70, 0x79])),
  });
  cases.push({
    label: "an empty-named last record that ends the file",
    expected: { error: "EOFError" },
    bytes: fixed(0, 0, 0, new Uint8Array(0)),
  });
  return cases;
}
