// A small seeded random generator (xoshiro128**, seeded by splitmix32): the same seed gives the same inputs everywhere.
//
// NPBench draws its random inputs from NumPy's `default_rng(42)`; reproducing PCG64 and NumPy's seeding bit for
// bit is not worth it, so the kernels that draw random inputs use this generator with the same default seed.

export const DEFAULT_SEED = 42;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number = DEFAULT_SEED) {
    // splitmix32 spreads any seed (even 0) over the four words of state, so no state is all zero
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5, lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A float in [0, 1) exactly representable in f32 (24 random bits). */
  randomF32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** An integer in [low, high) (exclusive high, like NumPy's `integers`). */
  integer(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`integer(${low}, ${high}): the range is empty`);
    return low + Math.floor(this.random() * (high - low));
  }

  /** A Float64Array of `n` doubles in [0, 1). */
  float64Array(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.random();
    return out;
  }

  /** A Float32Array of `n` floats in [0, 1). */
  float32Array(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.randomF32();
    return out;
  }

  /** A Uint8Array of `n` bytes. */
  uint8Array(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A generator seeded with `seed` (42 by default, like NPBench). */
export function seeded(seed: number = DEFAULT_SEED): Random {
  return new Random(seed);
}
