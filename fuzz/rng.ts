/**
 * The fuzzer's randomness: sfc32, seeded per input from (run seed, input index), so input N of a run is the
 * same bytes whichever worker makes it and whatever ran before it (`--seed S --index N` replays it alone).
 */

/** A 32-bit mix (murmur3's finaliser). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    this.a = mix(seed ^ 0x9e3779b9);
    this.b = mix(stream + 0x7f4a7c15);
    this.c = mix((seed * 31 + stream) ^ 0x94d049bb);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform u32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.next() / 0x100000000) * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }

  /** Mostly small, sometimes large: [1, max]. */
  smallish(max: number): number {
    const bits = this.below(Math.ceil(Math.log2(max + 1)) + 1);
    return Math.min(max, 1 + this.below(2 ** bits));
  }
}
