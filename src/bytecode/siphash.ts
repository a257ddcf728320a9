/**
 * SipHash-2-4 and SipHash-1-3 (Python/pyhash.c), and `importlib.util.source_hash`: SipHash keyed with
 * k0 = the 4 magic bytes as a little-endian integer and k1 = 0, returned as 8 little-endian bytes.
 * 3.7–3.10 use SipHash-2-4, 3.11+ SipHash-1-3. 64-bit lanes are kept as hi/lo uint32 pairs (no BigInt in
 * the loop, so hashing a source file is cheap).
 */
import { magicInfo } from "./magic.js";

export type SipHashVariant = "siphash24" | "siphash13";

/** v0..v3 as [hi, lo] pairs: s[0]=v0.hi, s[1]=v0.lo, ..., s[7]=v3.lo. */
type State = Uint32Array;

function sipRound(s: State): void {
  // v0 += v1; v2 += v3
  let lo = (s[1]! + s[3]!) >>> 0;
  s[0] = (s[0]! + s[2]! + (lo < s[1]! ? 1 : 0)) >>> 0;
  s[1] = lo;
  lo = (s[5]! + s[7]!) >>> 0;
  s[4] = (s[4]! + s[6]! + (lo < s[5]! ? 1 : 0)) >>> 0;
  s[5] = lo;
  // v1 = rotl(v1, 13) ^ v0; v3 = rotl(v3, 16) ^ v2
  let h = s[2]!;
  let l = s[3]!;
  s[2] = (((h << 13) | (l >>> 19)) ^ s[0]!) >>> 0;
  s[3] = (((l << 13) | (h >>> 19)) ^ s[1]!) >>> 0;
  h = s[6]!;
  l = s[7]!;
  s[6] = (((h << 16) | (l >>> 16)) ^ s[4]!) >>> 0;
  s[7] = (((l << 16) | (h >>> 16)) ^ s[5]!) >>> 0;
  // v0 = rotl(v0, 32)
  h = s[0]!;
  s[0] = s[1]!;
  s[1] = h;
  // v2 += v1; v0 += v3
  lo = (s[5]! + s[3]!) >>> 0;
  s[4] = (s[4]! + s[2]! + (lo < s[5]! ? 1 : 0)) >>> 0;
  s[5] = lo;
  lo = (s[1]! + s[7]!) >>> 0;
  s[0] = (s[0]! + s[6]! + (lo < s[1]! ? 1 : 0)) >>> 0;
  s[1] = lo;
  // v1 = rotl(v1, 17) ^ v2; v3 = rotl(v3, 21) ^ v0
  h = s[2]!;
  l = s[3]!;
  s[2] = (((h << 17) | (l >>> 15)) ^ s[4]!) >>> 0;
  s[3] = (((l << 17) | (h >>> 15)) ^ s[5]!) >>> 0;
  h = s[6]!;
  l = s[7]!;
  s[6] = (((h << 21) | (l >>> 11)) ^ s[0]!) >>> 0;
  s[7] = (((l << 21) | (h >>> 11)) ^ s[1]!) >>> 0;
  // v2 = rotl(v2, 32)
  h = s[4]!;
  s[4] = s[5]!;
  s[5] = h;
}

function compress(s: State, hi: number, lo: number, rounds: number): void {
  s[6] = (s[6]! ^ hi) >>> 0;
  s[7] = (s[7]! ^ lo) >>> 0;
  for (let r = 0; r < rounds; r++) sipRound(s);
  s[0] = (s[0]! ^ hi) >>> 0;
  s[1] = (s[1]! ^ lo) >>> 0;
}

function le32(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

/**
 * SipHash of `data` with the 128-bit key (k0, k1), each given as [hi, lo] uint32 halves.
 * Returns the 64-bit result as 8 little-endian bytes.
 */
export function sipHash(
  variant: SipHashVariant,
  k0: readonly [number, number],
  k1: readonly [number, number],
  data: Uint8Array,
): Uint8Array {
  const [cRounds, dRounds] = variant === "siphash24" ? [2, 4] : [1, 3];
  const s: State = Uint32Array.of(
    k0[0] ^ 0x736f6d65,
    k0[1] ^ 0x70736575,
    k1[0] ^ 0x646f7261,
    k1[1] ^ 0x6e646f6d,
    k0[0] ^ 0x6c796765,
    k0[1] ^ 0x6e657261,
    k1[0] ^ 0x74656462,
    k1[1] ^ 0x79746573,
  );
  const n = data.length;
  const whole = n - (n % 8);
  for (let i = 0; i < whole; i += 8) compress(s, le32(data, i + 4), le32(data, i), cRounds);
  // Last block: the remaining bytes, and the length (mod 256) in the top byte.
  const tail = new Uint8Array(8);
  tail.set(data.subarray(whole));
  tail[7] = n & 0xff;
  compress(s, le32(tail, 4), le32(tail, 0), cRounds);
  s[5] = (s[5]! ^ 0xff) >>> 0;
  for (let r = 0; r < dRounds; r++) sipRound(s);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, (s[1]! ^ s[3]! ^ s[5]! ^ s[7]!) >>> 0, true);
  view.setUint32(4, (s[0]! ^ s[2]! ^ s[4]! ^ s[6]!) >>> 0, true);
  return out;
}

/** The SipHash variant `importlib.util.source_hash` uses for a magic number. */
export function sourceHashVariant(magic: number): SipHashVariant {
  const known = magicInfo(magic)?.sourceHash;
  if (known) return known;
  return magic >= 3450 ? "siphash13" : "siphash24";
}

/**
 * `importlib.util.source_hash(source)` of the interpreter with this magic (the u16, or the 4 header bytes):
 * the 8 bytes a hash-based pyc's header holds.
 */
export function sourceHash(source: Uint8Array, magic: number | Uint8Array): Uint8Array {
  const number = typeof magic === "number" ? magic : (magic[0]! | (magic[1]! << 8)) >>> 0;
  const key = typeof magic === "number" ? ((0x0a0d << 16) | (magic & 0xffff)) >>> 0 : le32(magic, 0);
  return sipHash(sourceHashVariant(number), [0, key], [0, 0], source);
}
