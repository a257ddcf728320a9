/**
 * W3's record count, as anchors/w3_marshal.py's `count_records` makes it: one record per type byte read
 * (refs and a dict's NULL terminator included), refs and code objects counted apart. It is a scanner, not a
 * decoder: it checks nothing but the walk, and it is never timed. It reads the 3.11–3.14 code layout, as
 * the anchor does.
 */

export interface RecordCounts {
  records: number;
  refs: number;
  code_records: number;
}

export function countRecords(buf: Uint8Array, into: RecordCounts): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const i32 = (p: number) => view.getInt32(p, true);
  const r = (): void => {
    const t = buf[pos]! & 0x7f;
    pos += 1;
    into.records++;
    const c = String.fromCharCode(t);
    if ("0NFTS.".includes(c)) return;
    switch (c) {
      case "i":
        pos += 4;
        return;
      case "I":
        pos += 8;
        return;
      case "r":
        into.refs++;
        pos += 4;
        return;
      case "l":
        pos += 4 + 2 * Math.abs(i32(pos));
        return;
      case "g":
        pos += 8;
        return;
      case "y":
        pos += 16;
        return;
      case "f":
        pos += 1 + buf[pos]!;
        return;
      case "x":
        pos += 1 + buf[pos]!;
        pos += 1 + buf[pos]!;
        return;
      case "s":
      case "t":
      case "u":
      case "a":
      case "A":
        pos += 4 + i32(pos);
        return;
      case "z":
      case "Z":
        pos += 1 + buf[pos]!;
        return;
      case ")": {
        const n = buf[pos]!;
        pos += 1;
        for (let k = 0; k < n; k++) r();
        return;
      }
      case "(":
      case "[":
      case "<":
      case ">": {
        const n = i32(pos);
        pos += 4;
        for (let k = 0; k < n; k++) r();
        return;
      }
      case "{":
        while (buf[pos] !== 0x30) {
          r();
          r();
        }
        pos += 1;
        into.records++;
        return;
      case ":":
        r();
        r();
        r();
        return;
      case "c":
        into.code_records++;
        pos += 20; // argcount, posonly, kwonly, stacksize, flags
        for (let k = 0; k < 8; k++) r(); // code consts names localsplusnames localspluskinds filename name qualname
        pos += 4; // firstlineno
        r(); // linetable
        r(); // exceptiontable
        return;
      default:
        throw new Error(`unknown marshal type ${JSON.stringify(c)} at ${pos - 1}`);
    }
  };
  r();
  if (pos !== buf.length) throw new Error(`trailing bytes: ${pos} of ${buf.length}`);
}
