/** The side of the grid every picture is computed on: one prediction of 100 × 100 points a frame. */
export const GRID = 100;
/**
 * A hidden neuron's picture goes to the page at every other row and column of that grid (50 × 50):
 * a quarter of the bytes, for pictures drawn 40 pixels wide.
 */
export const NEURON_GRID = GRID / 2;

/** Every `every`-th row and column of a `density × density` picture. */
export function subsample(values: Float32Array, density: number, every: number): Float32Array {
  const size = Math.floor(density / every);
  const out = new Float32Array(size * size);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) out[row * size + col] = values[row * every * density + col * every] as number;
  return out;
}
