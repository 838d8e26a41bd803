import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

/** A kernel's named inputs, every one present. */
export type Named<K extends string> = Record<K, tf.TensorInfo>;

/** The gate activations the fused recurrent kernels compute: Keras's sigmoid, and tfjs's default hard sigmoid. */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

/** Every `GateActivation`. */
export const GATE_ACTIVATIONS: readonly GateActivation[] = ['sigmoid', 'hardSigmoid'];

/**
 * tanh as a rational function, `x·P(x²)/Q(x²)` of degrees 13/6, with x clamped to ±9 (where tanh is
 * 1 to within 3e−8). Coefficients fitted here by iteratively reweighted least squares on Chebyshev
 * nodes of [0, 9]; the largest error against `Math.tanh` over [−20, 20] is 3.7e−8, below float32's
 * resolution near 1. Three to four times faster than `Math.tanh` in V8, which made the gate loops of
 * the recurrent kernels cost more than their matrix products.
 */
export function tanh(v: number): number {
  const x = Math.min(9, Math.max(-9, v));
  const t = x * x;
  const p =
    0.9999999790835522 +
    t *
      (0.13080875752627363 +
        t *
          (0.003100516905338772 +
            t *
              (1.1119966013838391e-5 +
                t * (-2.009539069568186e-8 + t * (5.2203931544959905e-11 + t * -8.352987593740705e-14)))));
  const q = 1 + t * (0.464141988274866 + t * (0.024481314676467563 + t * 0.00025412339638789113));
  return (x * p) / q;
}

/** `σ(x) = 1 / (1 + e^−x) = (1 + tanh(x/2)) / 2`. */
export const sigmoid = (x: number): number => 0.5 + 0.5 * tanh(0.5 * x);

/** `σ(x)`, or tfjs's hard sigmoid `clip(0.2·x + 0.5, 0, 1)`. */
export function gateFunction(kernel: string, name: GateActivation): (x: number) => number {
  if (name === 'sigmoid') return sigmoid;
  if (name === 'hardSigmoid') return (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5));
  throw new UnsupportedKernelConfigError(
    kernel,
    `recurrentActivation '${name}'; allowed: ${GATE_ACTIVATIONS.join(', ')}`,
  );
}

/**
 * The gate's derivative from its value `a`: `a·(1 − a)` for the sigmoid; 0.2 inside the hard
 * sigmoid's slope (`0 < a < 1`), else 0. (tfjs's clip also passes the gradient at the two
 * corners themselves, a set of measure zero.)
 */
export function gateDerivative(name: GateActivation): (a: number) => number {
  return name === 'sigmoid' ? (a) => a * (1 - a) : (a) => (a > 0 && a < 1 ? 0.2 : 0);
}

/** The same data seen with another shape (no copy: a TensorInfo is its data id, shape and dtype). */
export const reshaped = (info: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ ...info, shape });

/** `a · b` for `[1, m, k]` by `[1, k, n]` through tfjs's own WASM kernel (XNNPACK). The caller frees the result. */
export function matMul(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return wasmKernel('BatchMatMul')({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } });
}

/** The transpose of a matrix `[m, n]`, as `[1, n, m]`, through tfjs's own WASM kernel. The caller frees it. */
export function transposed(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const [m, n] = x.shape.slice(-2) as [number, number];
  const t = wasmKernel('Transpose')({ inputs: { x: reshaped(x, [m, n]) }, backend, attrs: { perm: [1, 0] } });
  return reshaped(t, [1, n, m]);
}

/** The float32 heap view of `info`: fetched again after every allocation, which may move the heap. */
export const heap = (backend: WasmBackend, info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;

/**
 * The rows `h_{t−1}` that every `dz_t` of a sequence multiplies in `dR = Σ_t h_{t−1}ᵀ · dz_t`, as one
 * `[batch·time, units]` matrix in the order of the `[batch, time, ·]` gradients: row `(b, t)` holds the
 * state before the step that read time `t` (`h0` for the first step; `goBackwards` reads time backwards).
 */
export function previousStates(
  backend: WasmBackend,
  h: tf.TensorInfo,
  h0: tf.TensorInfo,
  goBackwards: boolean,
): tf.TensorInfo {
  const [batch, time, units] = h.shape as [number, number, number];
  const out = backend.makeOutput([batch * time, units], 'float32');
  const dst = heap(backend, out);
  const hs = heap(backend, h);
  const first = heap(backend, h0);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < time; s++) {
      const t = goBackwards ? time - 1 - s : s;
      const row = (b * time + t) * units;
      if (s === 0) dst.set(first.subarray(b * units, (b + 1) * units), row);
      else dst.set(hs.subarray((b * time + s - 1) * units, (b * time + s) * units), row);
    }
  }
  return out;
}

/** `Aᵀ · B` for `A` `[rows, m]` and `B` `[rows, n]`, as `[m, n]`: one transpose, one product. The caller frees it. */
export function transposedTimes(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [rows, n] = b.shape.slice(-2) as [number, number];
  const at = transposed(backend, a);
  try {
    const product = matMul(backend, at, reshaped(b, [1, rows, n]));
    return reshaped(product, [at.shape[1] as number, n]);
  } finally {
    backend.disposeData(at.dataId);
  }
}
