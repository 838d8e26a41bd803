import seedrandom from 'seedrandom';

/**
 * A seeded random number generator. Every shuffle, split and initialiser in Neurona
 * draws from one of these, so a run with the same seed gives the same numbers on the
 * same backend. Never `Math.random`.
 */
export interface Rng {
  /** The seed this generator was created from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A fresh 32-bit seed drawn from this stream, for a tfjs initialiser or a child generator. */
  nextSeed(): number;
  /** A permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array;
  /** A shuffled copy; the input is not changed. */
  shuffle<T>(items: readonly T[]): T[];
}

/** Creates a generator (Alea, from the `seedrandom` package) from an integer seed. */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new Error(`createRng: seed must be an integer, got ${String(seed)}`);
  }
  const alea = seedrandom.alea(String(seed));
  const next = () => alea();
  const int = (maxExclusive: number) => {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new Error(`Rng.int: maxExclusive must be a positive integer, got ${maxExclusive}`);
    }
    return Math.floor(next() * maxExclusive);
  };
  const permutation = (n: number) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = int(i + 1);
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  };
  return {
    seed,
    next,
    int,
    nextSeed: () => alea.int32() >>> 0,
    permutation,
    shuffle: <T>(items: readonly T[]) => Array.from(permutation(items.length), (i) => items[i] as T),
  };
}
