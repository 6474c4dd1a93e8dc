// Small helpers shared by the samples: a seeded random generator and a tolerance check.

/** A seeded generator of floats in [0, 1) (mulberry32): the same seed gives the same inputs everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray<T extends Float64Array | Float32Array>(make: new (n: number) => T, n: number, random: () => number): T {
  const out = new make(n);
  for (let i = 0; i < n; i++) out[i] = random();
  return out;
}

/** Largest violation of |ref - val| <= atol + rtol |ref| (0 when all elements pass). */
export function maxViolation(ref: ArrayLike<number>, val: ArrayLike<number>, rtol = 1e-5, atol = 1e-8): number {
  if (ref.length !== val.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const excess = Math.abs(ref[i]! - val[i]!) - (atol + rtol * Math.abs(ref[i]!));
    if (!(excess <= 0)) worst = Math.max(worst, Number.isNaN(excess) ? Infinity : excess);
  }
  return worst;
}
