import { expect } from 'vitest';
import { createRng } from '../src/index.js';

/** `n` seeded values, uniform in `[shift − scale, shift + scale)`: the inputs and weights of the kernel tests. */
export function randomArray(n: number, seed: number, scale = 1, shift = 0): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale + shift);
}

/** The largest absolute difference between two arrays of the same length (asserted). */
export function maxError(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(out.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs((out[i] as number) - (ref[i] as number)));
  return worst;
}
