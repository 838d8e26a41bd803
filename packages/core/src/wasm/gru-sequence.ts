import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError } from './kernel-context.js';
import type { GateActivation, Named } from './recurrent-steps.js';
import {
  gateDerivative,
  gateFunction,
  heap,
  matMul,
  previousStates,
  reshaped,
  tanh,
  transposed,
  transposedTimes,
} from './recurrent-steps.js';

/** Kernel name of a whole GRU sequence (forward). */
export const GRU_SEQUENCE = 'NeuronaGRUSequence';
/** Kernel name of its backward pass. */
export const GRU_SEQUENCE_GRAD = 'NeuronaGRUSequenceGrad';

export interface GruSequenceAttrs {
  recurrentActivation: GateActivation;
  goBackwards: boolean;
  /** Keras's `reset_after`: the reset gate applied after the recurrent product (TF2's default, and cuDNN's). */
  resetAfter: boolean;
}

/** Columns `[from, from + width)` of the matrix `[rows, cols]`, as a new `[1, rows, width]`. The caller frees it. */
function columns(backend: WasmBackend, m: tf.TensorInfo, from: number, width: number): tf.TensorInfo {
  const [rows, cols] = m.shape as [number, number];
  const out = backend.makeOutput([1, rows, width], 'float32');
  const src = heap(backend, m);
  const dst = heap(backend, out);
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * cols + from, r * cols + from + width), r * width);
  return out;
}

/**
 * A whole GRU sequence for the WASM backend, as Keras computes it, given the input projection
 * `xw = x·W + b` `[batch, time, 3u]` (one product for every step, done before) and the recurrent
 * kernel `R` `[u, 3u]`, gates in Keras's order z, r, h. With `resetAfter` (Keras's `reset_after=True`,
 * with a recurrent bias `rb`):
 *
 *   a = h_{t−1}·R + rb,   z = σ(xw_z + a_z),   r = σ(xw_r + a_r),   n = tanh(xw_h + r ⊙ a_h)
 *
 * and without (tfjs's `GRU`, Keras's `reset_after=False`), the reset gate before the product:
 *
 *   a = h_{t−1}·R_zr,   z, r as above,   n = tanh(xw_h + (r ⊙ h_{t−1})·R_h)
 *
 * then `h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n`. Per step: one product and one loop (reset after), or two of
 * each (reset before). Outputs `h` `[batch, time, u]` in the order of the steps, the gates z, r, n
 * `[batch, time, 3u]`, and `inner` `[batch, time, u]`: `a_h` (reset after) or `r ⊙ h_{t−1}` (before),
 * which the backward pass reads.
 */
function gruSequence(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: GruSequenceAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { xw, recurrentKernel, recurrentBias, h0 } = inputs as Named<'xw' | 'recurrentKernel' | 'recurrentBias' | 'h0'>;
  const [batch, time, three] = xw.shape as [number, number, number];
  const units = three / 3;
  if (recurrentKernel.shape.join() !== `${units},${three}`)
    throw new UnsupportedKernelConfigError(
      GRU_SEQUENCE,
      `recurrentKernel [${recurrentKernel.shape}] must be [${units}, ${three}]`,
    );
  const act = gateFunction(GRU_SEQUENCE, attrs.recurrentActivation);
  const h = backend.makeOutput([batch, time, units], 'float32');
  const gates = backend.makeOutput([batch, time, three], 'float32');
  const inner = backend.makeOutput([batch, time, units], 'float32');
  const rb = Float32Array.from(heap(backend, recurrentBias));
  // Reset before: the z, r columns and the h columns of R, each once, for their own products.
  const Rzr = attrs.resetAfter
    ? reshaped(recurrentKernel, [1, units, three])
    : columns(backend, recurrentKernel, 0, 2 * units);
  const Rh = attrs.resetAfter ? undefined : columns(backend, recurrentKernel, 2 * units, units);
  const width = attrs.resetAfter ? three : 2 * units;
  let hPrev = reshaped(h0, [1, batch, units]);
  let owned: tf.TensorInfo | undefined;
  try {
    for (let s = 0; s < time; s++) {
      const t = attrs.goBackwards ? time - 1 - s : s;
      const a = matMul(backend, hPrev, Rzr);
      const hNext = backend.makeOutput([1, batch, units], 'float32');
      const rh = Rh ? backend.makeOutput([1, batch, units], 'float32') : undefined;
      let ar = heap(backend, a);
      let x = heap(backend, xw);
      let g = heap(backend, gates);
      let inn = heap(backend, inner);
      const hp = heap(backend, hPrev);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * time + t) * three;
        const gRow = (b * time + s) * three;
        const aRow = b * width;
        for (let j = 0; j < units; j++) {
          const z = act((x[xRow + j] as number) + (ar[aRow + j] as number) + (rb[j] as number));
          const r = act((x[xRow + units + j] as number) + (ar[aRow + units + j] as number) + (rb[units + j] as number));
          g[gRow + j] = z;
          g[gRow + units + j] = r;
          inn[(b * time + s) * units + j] = attrs.resetAfter
            ? (ar[aRow + 2 * units + j] as number) + (rb[2 * units + j] as number)
            : r * (hp[b * units + j] as number);
        }
      }
      let hh: tf.TensorInfo | undefined;
      if (rh && Rh) {
        const rhs = heap(backend, rh);
        inn = heap(backend, inner);
        for (let b = 0; b < batch; b++)
          rhs.set(inn.subarray((b * time + s) * units, (b * time + s + 1) * units), b * units);
        hh = matMul(backend, rh, Rh);
      }
      ar = heap(backend, a);
      x = heap(backend, xw);
      g = heap(backend, gates);
      inn = heap(backend, inner);
      const hhs = hh ? heap(backend, hh) : undefined;
      const hs = heap(backend, h);
      const hOut = heap(backend, hNext);
      const hp2 = heap(backend, hPrev);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * time + t) * three;
        const gRow = (b * time + s) * three;
        const sRow = (b * time + s) * units;
        for (let j = 0; j < units; j++) {
          const z = g[gRow + j] as number;
          const r = g[gRow + units + j] as number;
          const recurrent = hhs ? (hhs[b * units + j] as number) : r * (inn[sRow + j] as number);
          const n = tanh((x[xRow + 2 * units + j] as number) + recurrent);
          const out = z * (hp2[b * units + j] as number) + (1 - z) * n;
          g[gRow + 2 * units + j] = n;
          hs[sRow + j] = out;
          hOut[b * units + j] = out;
        }
      }
      for (const temporary of [a, rh, hh]) if (temporary) backend.disposeData(temporary.dataId);
      if (owned) backend.disposeData(owned.dataId);
      owned = hNext;
      hPrev = hNext;
    }
  } finally {
    if (owned) backend.disposeData(owned.dataId);
    if (Rh) {
      backend.disposeData(Rh.dataId);
      backend.disposeData(Rzr.dataId);
    }
  }
  return [h, gates, inner];
}

/**
 * The backward pass of `gruSequence`, through time, from the last step to the first (`δh` carries
 * into the step before). With `δh_t = dh_t + δh`:
 *
 *   dz = δh_t ⊙ (h_{t−1} − n) ⊙ σ'(z),   dn = δh_t ⊙ (1 − z) ⊙ (1 − n²),   δh ← δh_t ⊙ z + …
 *
 * Reset after: `dr = dn ⊙ a_h ⊙ σ'(r)`, the gradient of `a` is `[dz, dr, dn ⊙ r]` and `δh += da·Rᵀ`.
 * Reset before: `d(r⊙h) = dn·R_hᵀ`, `dr = d(r⊙h) ⊙ h_{t−1} ⊙ σ'(r)`, and
 * `δh += d(r⊙h) ⊙ r + [dz, dr]·R_zrᵀ`. After the loop, `dR` in one or two products over every step,
 * and (reset after) `drb = Σ da`. Outputs `dxw` = `[dz, dr, dn]` `[batch, time, 3u]` in the input's
 * time order, `dR` `[u, 3u]`, `drb` `[3u]`, `dh0` `[batch, u]`.
 */
function gruSequenceGrad(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: GruSequenceAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dh, recurrentKernel, h0, h, gates, inner } = inputs as Named<
    'dh' | 'recurrentKernel' | 'h0' | 'h' | 'gates' | 'inner'
  >;
  const [batch, time, three] = gates.shape as [number, number, number];
  const units = three / 3;
  const rows = batch * time;
  const derivative = gateDerivative(attrs.recurrentActivation);
  const after = attrs.resetAfter;
  const dxw = backend.makeOutput([batch, time, three], 'float32');
  const dh0 = backend.makeOutput([batch, units], 'float32');
  const drb = backend.makeOutput([three], 'float32');
  // The gradient of `a`, every step, in the input's time order (reset after: [dz, dr, dn ⊙ r]); reset
  // before, dxw's own dz, dr columns serve, and `rhAll` holds r ⊙ h_{t−1} in that order.
  const da = after ? backend.makeOutput([rows, three], 'float32') : undefined;
  const Rzrt = after ? transposed(backend, recurrentKernel) : undefined;
  const Rzr = after ? undefined : columns(backend, recurrentKernel, 0, 2 * units);
  const Rh = after ? undefined : columns(backend, recurrentKernel, 2 * units, units);
  const RzrT = Rzr ? transposed(backend, reshaped(Rzr, [units, 2 * units])) : (Rzrt as tf.TensorInfo);
  const RhT = Rh ? transposed(backend, reshaped(Rh, [units, units])) : undefined;
  const width = after ? three : 2 * units;
  const carried = new Float32Array(batch * units);
  const h0Copy = Float32Array.from(heap(backend, h0));
  const temporaries: tf.TensorInfo[] = [];
  try {
    for (let s = time - 1; s >= 0; s--) {
      const t = attrs.goBackwards ? time - 1 - s : s;
      const step = backend.makeOutput([1, batch, width], 'float32');
      const dn = RhT ? backend.makeOutput([1, batch, units], 'float32') : undefined;
      let steps = heap(backend, step);
      let dx = heap(backend, dxw);
      const dhs = heap(backend, dh);
      let hs = heap(backend, h);
      let g = heap(backend, gates);
      const inn = heap(backend, inner);
      const dns = dn ? heap(backend, dn) : undefined;
      const direct = new Float32Array(batch * units);
      for (let b = 0; b < batch; b++) {
        const sRow = (b * time + s) * units;
        const gRow = (b * time + s) * three;
        const xRow = (b * time + t) * three;
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          const z = g[gRow + j] as number;
          const r = g[gRow + units + j] as number;
          const n = g[gRow + 2 * units + j] as number;
          const before = s > 0 ? (hs[sRow - units + j] as number) : (h0Copy[k] as number);
          const dhT = (dhs[sRow + j] as number) + (carried[k] as number);
          const dz = dhT * (before - n) * derivative(z);
          const dnPre = dhT * (1 - z) * (1 - n * n);
          direct[k] = dhT * z;
          dx[xRow + j] = dz;
          dx[xRow + 2 * units + j] = dnPre;
          steps[b * width + j] = dz;
          if (after) {
            const dr = dnPre * (inn[sRow + j] as number) * derivative(r);
            dx[xRow + units + j] = dr;
            steps[b * width + units + j] = dr;
            steps[b * width + 2 * units + j] = dnPre * r;
          } else {
            (dns as Float32Array)[k] = dnPre;
          }
        }
      }
      if (dn && RhT) {
        // d(r ⊙ h_{t−1}) = dn · R_hᵀ, then dr and the direct path through r ⊙ h_{t−1}.
        const drh = matMul(backend, dn, RhT);
        const drhs = heap(backend, drh);
        steps = heap(backend, step);
        dx = heap(backend, dxw);
        hs = heap(backend, h);
        g = heap(backend, gates);
        for (let b = 0; b < batch; b++) {
          const sRow = (b * time + s) * units;
          const gRow = (b * time + s) * three;
          const xRow = (b * time + t) * three;
          for (let j = 0; j < units; j++) {
            const k = b * units + j;
            const r = g[gRow + units + j] as number;
            const before = s > 0 ? (hs[sRow - units + j] as number) : (h0Copy[k] as number);
            const d = drhs[k] as number;
            const dr = d * before * derivative(r);
            dx[xRow + units + j] = dr;
            steps[b * width + units + j] = dr;
            direct[k] = (direct[k] as number) + d * r;
          }
        }
        backend.disposeData(drh.dataId);
        backend.disposeData(dn.dataId);
      }
      if (da) {
        const das = heap(backend, da);
        steps = heap(backend, step);
        for (let b = 0; b < batch; b++) das.set(steps.subarray(b * width, (b + 1) * width), (b * time + t) * three);
      }
      const back = matMul(backend, step, RzrT);
      const backs = heap(backend, back);
      for (let k = 0; k < batch * units; k++) carried[k] = (direct[k] as number) + (backs[k] as number);
      backend.disposeData(back.dataId);
      backend.disposeData(step.dataId);
    }
    heap(backend, dh0).set(carried);
    const hPrev = previousStates(backend, h, h0, attrs.goBackwards);
    temporaries.push(hPrev);
    if (da) {
      const dR = transposedTimes(backend, hPrev, da);
      const sums = new Float64Array(three);
      const das = heap(backend, da);
      for (let row = 0; row < rows; row++)
        for (let j = 0; j < three; j++) sums[j] = (sums[j] as number) + (das[row * three + j] as number);
      heap(backend, drb).set(sums);
      return [dxw, dR, drb, dh0];
    }
    // Reset before: dR_zr = Σ h_{t−1}ᵀ·[dz, dr] and dR_h = Σ (r ⊙ h_{t−1})ᵀ·dn, side by side.
    const dzr = backend.makeOutput([rows, 2 * units], 'float32');
    const dnAll = backend.makeOutput([rows, units], 'float32');
    const rhAll = backend.makeOutput([rows, units], 'float32');
    temporaries.push(dzr, dnAll, rhAll);
    {
      const dx = heap(backend, dxw);
      const zr = heap(backend, dzr);
      const dns = heap(backend, dnAll);
      const rhs = heap(backend, rhAll);
      const inn = heap(backend, inner);
      for (let b = 0; b < batch; b++) {
        for (let s = 0; s < time; s++) {
          const row = b * time + (attrs.goBackwards ? time - 1 - s : s);
          zr.set(dx.subarray(row * three, row * three + 2 * units), row * 2 * units);
          dns.set(dx.subarray(row * three + 2 * units, (row + 1) * three), row * units);
          rhs.set(inn.subarray((b * time + s) * units, (b * time + s + 1) * units), row * units);
        }
      }
    }
    const dRzr = transposedTimes(backend, hPrev, dzr);
    const dRh = transposedTimes(backend, rhAll, dnAll);
    temporaries.push(dRzr, dRh);
    const dR = backend.makeOutput([units, three], 'float32');
    const out = heap(backend, dR);
    const left = heap(backend, dRzr);
    const right = heap(backend, dRh);
    for (let i = 0; i < units; i++) {
      out.set(left.subarray(i * 2 * units, (i + 1) * 2 * units), i * three);
      out.set(right.subarray(i * units, (i + 1) * units), i * three + 2 * units);
    }
    return [dxw, dR, drb, dh0];
  } finally {
    for (const info of [da, Rzrt, Rzr, Rh, Rzr ? RzrT : undefined, RhT, ...temporaries])
      if (info) backend.disposeData(info.dataId);
  }
}

export const gruSequenceConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: gruSequence as unknown as tf.KernelFunc,
};

export const gruSequenceGradConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: gruSequenceGrad as unknown as tf.KernelFunc,
};

/** The tape's gradient of `NeuronaGRUSequence`: one call of its backward kernel for every input. */
export const gruSequenceGradient: tf.GradConfig = {
  kernelName: GRU_SEQUENCE,
  inputsToSave: ['recurrentKernel', 'h0'],
  outputsToSave: [true, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [recurrentKernel, h0, h, gates, inner] = saved as tf.Tensor[];
    const dh = (dy as (tf.Tensor | null)[])[0] ?? tf.zeros((h as tf.Tensor).shape);
    const [dxw, dR, drb, dh0] = tf
      .engine()
      .runKernel(
        GRU_SEQUENCE_GRAD,
        { dh, recurrentKernel, h0, h, gates, inner } as tf.NamedTensorMap,
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return {
      xw: () => dxw as tf.Tensor,
      recurrentKernel: () => dR as tf.Tensor,
      recurrentBias: () => drb as tf.Tensor,
      h0: () => dh0 as tf.Tensor,
    };
  },
};
