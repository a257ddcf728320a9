/**
 * TYPE_LONG values beyond 53 bits (the reader handles smaller ones as doubles): 15-bit little-endian digits
 * to a BigInt, or to a number when the value is a safe integer after all.
 */

/** A long beyond 53 bits. Few digits: 30-bit chunks from the top; many: via hex text (linear, where
 * shifting a BigInt per digit would be quadratic). */
export function bigLong(view: DataView, start: number, count: number, negative: boolean): number | bigint {
  let magnitude = 0n;
  if (count <= 20) {
    let i = count - 1;
    if (count % 2 === 1) magnitude = BigInt(view.getUint16(start + 2 * i--, true));
    for (; i > 0; i -= 2) {
      const pair = view.getUint16(start + 2 * i, true) * 0x8000 + view.getUint16(start + 2 * i - 2, true);
      magnitude = (magnitude << 30n) | BigInt(pair);
    }
  } else {
    magnitude = BigInt(`0x${hexOfDigits(view, start, count)}`);
  }
  const value = negative ? -magnitude : magnitude;
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** The 15-bit little-endian digits as big-endian hex text. */
function hexOfDigits(view: DataView, start: number, count: number): string {
  const nibbles = new Uint8Array(Math.ceil((count * 15) / 4));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    acc |= view.getUint16(start + 2 * i, true) << bits;
    bits += 15;
    while (bits >= 4) {
      nibbles[n++] = acc & 0xf;
      acc >>>= 4;
      bits -= 4;
    }
  }
  if (bits > 0) nibbles[n++] = acc;
  const text = new Uint8Array(n);
  for (let i = 0; i < n; i++) text[n - 1 - i] = HEX_DIGITS[nibbles[i]!]!;
  return Buffer.from(text.buffer).toString("latin1");
}

const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
