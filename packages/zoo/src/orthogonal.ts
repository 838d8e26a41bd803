import { InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of `orthogonal`: Keras's `gain` and `seed`. */
export interface OrthogonalArgs {
  seed?: number;
  gain?: number;
}
type Initializer = ReturnType<typeof tfl.initializers.orthogonal>;
type OrthogonalInitializer = Initializer & { seed?: number; gain: number };
// tfjs exports its Orthogonal initializer only through its factory; its class is what we extend,
// so a model saves the same `Orthogonal` config Keras reads.
const Orthogonal = tfl.initializers.orthogonal({}).constructor as new (args: OrthogonalArgs) => OrthogonalInitializer;

/**
 * The thin Q of a Householder QR of the column-major `n × k` matrix `a` (n ≥ k), its columns
 * signed by R's diagonal so that Q is uniformly (Haar) distributed when `a` is Gaussian:
 *
 *   A = H₀H₁…H_{k−1}·R,  Hⱼ = I − 2vⱼvⱼᵀ,  Q = H₀…H_{k−1}·I[n×k]·diag(sign Rⱼⱼ)
 *
 * In float64, column-major so every inner loop runs over contiguous memory. `a` is
 * overwritten; the result is column-major too.
 */
export function householderQ(a: Float64Array, n: number, k: number): Float64Array {
  const reflectors: Float64Array[] = [];
  const signs = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const col = j * n;
    let norm = 0;
    for (let i = j; i < n; i++) norm += (a[col + i] as number) ** 2;
    norm = Math.sqrt(norm);
    const alpha = (a[col + j] as number) >= 0 ? -norm : norm; // Rⱼⱼ, chosen to avoid cancellation
    signs[j] = alpha < 0 ? -1 : 1;
    const v = a.slice(col + j, col + n);
    v[0] = (v[0] as number) - alpha;
    let length = 0;
    for (let i = 0; i < v.length; i++) length += (v[i] as number) ** 2;
    length = Math.sqrt(length);
    if (length > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / length;
    reflectors.push(v);
    reflect(a, n, j, j + 1, k, v);
  }
  const q = new Float64Array(n * k);
  for (let j = 0; j < k; j++) q[j * n + j] = 1;
  // Columns left of j are still unit vectors with zeros from row j down: Hⱼ leaves them.
  for (let j = k - 1; j >= 0; j--) reflect(q, n, j, j, k, reflectors[j] as Float64Array);
  for (let j = 0; j < k; j++) {
    if (signs[j] === -1) for (let i = 0; i < n; i++) q[j * n + i] = -(q[j * n + i] as number);
  }
  return q;
}

/** Applies I − 2vvᵀ (v on rows `row`…n−1) to columns `from`…`to`−1 of the column-major `m`. */
function reflect(m: Float64Array, n: number, row: number, from: number, to: number, v: Float64Array) {
  for (let c = from; c < to; c++) {
    const offset = c * n + row;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += (v[i] as number) * (m[offset + i] as number);
    dot *= 2;
    if (dot === 0) continue;
    for (let i = 0; i < v.length; i++) m[offset + i] = (m[offset + i] as number) - dot * (v[i] as number);
  }
}

/**
 * Keras's `Orthogonal` initializer (the default for recurrent kernels), seeded, computed
 * with a float64 Householder QR instead of tfjs's `linalg.qr`: the recurrent kernel of
 * the book's GRU(1,024) takes about 17 s instead of 47 (2 cores), without tfjs's "slowness may
 * result" warning. Same maths as Keras: for a shape flattened to rows × cols, the Q of a
 * Gaussian (max × min) matrix, its columns signed by R's diagonal, transposed when
 * rows < cols, times `gain`. Saves as Keras's `Orthogonal`.
 */
class HouseholderOrthogonal extends Orthogonal {
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length < 2) {
      throw new InvalidOptionError('orthogonal', 'shape', shape, 'at least 2 dimensions');
    }
    if (dtype !== undefined && dtype !== 'float32') {
      throw new InvalidOptionError('orthogonal', 'dtype', dtype, 'float32');
    }
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1] as number;
    const n = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const gaussian = tf.tidy(() => tf.randomNormal([k, n], 0, 1, 'float32', this.seed).dataSync());
    // Row i of the [k, n] draw is column i of the n × k matrix, column-major.
    const q = householderQ(Float64Array.from(gaussian), n, k);
    const values = new Float32Array(rows * cols);
    if (rows < cols) {
      // Qᵀ (k × n, row-major) is Q's column-major memory as it stands.
      for (let i = 0; i < q.length; i++) values[i] = this.gain * (q[i] as number);
    } else {
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) values[i * k + j] = this.gain * (q[j * n + i] as number);
    }
    return tf.tensor(values, shape, 'float32');
  }
}

/**
 * A seeded Keras `Orthogonal` initializer that stays fast for large recurrent kernels (see
 * `HouseholderOrthogonal`).
 */
export function orthogonal(args: OrthogonalArgs = {}): Initializer {
  return new HouseholderOrthogonal(args);
}
