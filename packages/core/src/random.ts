import { InvalidInputError, InvalidOptionError } from '@neurona/errors';
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
  /**
   * Where the stream is now, as plain numbers: saved in a checkpoint so a resumed run draws what an
   * uninterrupted one would.
   */
  state(): RngState;
  /** Moves the stream to a state taken from `state()` (of a generator of the same seed or any other). */
  setState(state: RngState): void;
}

/** The state of an Alea stream (seedrandom's own shape), safe to write as JSON. */
export interface RngState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

interface Alea {
  (): number;
  int32(): number;
  state(): RngState;
}

function isRngState(value: unknown): value is RngState {
  const v = value as Partial<RngState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    [v.c, v.s0, v.s1, v.s2].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

/**
 * Creates a generator (Alea, from the `seedrandom` package) from an integer seed.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.next(); // a number in [0, 1), the same for the same seed
 * const seed = rng.nextSeed(); // an integer seed for a tfjs initializer or op
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new InvalidOptionError('createRng', 'seed', seed, 'an integer');
  }
  let alea = seedrandom.alea(String(seed), { state: true }) as unknown as Alea;
  const next = () => alea();
  const int = (maxExclusive: number) => {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new InvalidOptionError('Rng.int', 'maxExclusive', maxExclusive, 'a positive integer');
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
    state: () => ({ ...alea.state() }),
    setState: (state: RngState) => {
      if (!isRngState(state)) {
        throw new InvalidInputError(
          'Rng.setState',
          'state',
          `${JSON.stringify(state)} is not a generator state; allowed: { c, s0, s1, s2 }`,
        );
      }
      alea = seedrandom.alea('', { state: { ...state } }) as unknown as Alea;
    },
  };
}
