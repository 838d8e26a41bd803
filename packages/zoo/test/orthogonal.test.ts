import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { householderQ, orthogonal } from '../src/index.js';

beforeAll(async () => {
  await useBackend('cpu', { log: false });
});

/** max |MᵀM − I| (columns) for a row-major rows × cols matrix, or of MMᵀ when rows < cols. */
function orthogonalityError(values: Float32Array | Float64Array, rows: number, cols: number) {
  const byRows = rows < cols;
  const [outer, inner] = byRows ? [rows, cols] : [cols, rows];
  const at = (v: number, i: number) => (byRows ? (values[v * cols + i] as number) : (values[i * cols + v] as number));
  let worst = 0;
  for (let a = 0; a < outer; a++) {
    for (let b = a; b < outer; b++) {
      let dot = 0;
      for (let i = 0; i < inner; i++) dot += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describe("Keras's Orthogonal initializer, by Householder QR", () => {
  it.each([
    [8, 24],
    [24, 8],
    [16, 16],
    [3, 5, 4],
  ])('a %i × %i kernel has orthonormal rows or columns, as Keras', (...shape) => {
    const before = tf.memory().numTensors;
    const w = orthogonal({ seed: 7 }).apply(shape);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape.at(-1) as number;
    expect(w.shape).toEqual(shape);
    expect(orthogonalityError(w.dataSync() as Float32Array, rows, cols)).toBeLessThan(1e-5);
    const again = orthogonal({ seed: 7 }).apply(shape);
    expect(Array.from(again.dataSync())).toEqual(Array.from(w.dataSync()));
    const other = orthogonal({ seed: 8 }).apply(shape);
    expect(Array.from(other.dataSync())).not.toEqual(Array.from(w.dataSync()));
    tf.dispose([w, again, other]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is the QR of the Gaussian draw with R made positive: Q·R gives the draw back, R upper triangular', () => {
    const [n, k] = [7, 4];
    const a = Float64Array.from({ length: n * k }, (_, i) => Math.sin(i * 1.7) * 3 + Math.cos(i * 0.3));
    const q = householderQ(a.slice(), n, k);
    // R = Qᵀ A must be upper triangular with a positive diagonal.
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (q[r * n + i] as number) * (a[c * n + i] as number);
        if (r > c) expect(Math.abs(dot)).toBeLessThan(1e-12);
        if (r === c) expect(dot).toBeGreaterThan(0);
      }
    }
  });

  it('scales by gain, saves as Keras’s Orthogonal, and serves a GRU', () => {
    const init = orthogonal({ seed: 1, gain: 2 });
    const w = init.apply([6, 6]);
    expect(
      orthogonalityError(
        Float64Array.from(w.dataSync(), (v) => v / 2),
        6,
        6,
      ),
    ).toBeLessThan(1e-5);
    w.dispose();
    expect(init.getClassName()).toBe('Orthogonal');
    expect(init.getConfig()).toEqual({ gain: 2, seed: 1 });
    const gru = tf.layers.gru({ units: 4, recurrentInitializer: orthogonal({ seed: 3 }) });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [5, 2] }), gru] });
    const json = JSON.stringify(model.toJSON(null, false));
    expect(json).toContain('"recurrent_initializer":{"class_name":"Orthogonal","config":{"gain":1,"seed":3}}');
    const recurrent = gru.getWeights()[1] as tf.Tensor;
    expect(orthogonalityError(recurrent.dataSync() as Float32Array, 4, 12)).toBeLessThan(1e-5);
    model.dispose();
  });
});
