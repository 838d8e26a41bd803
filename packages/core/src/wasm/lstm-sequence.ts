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

/** Kernel name of a whole LSTM sequence (forward). */
export const LSTM_SEQUENCE = 'NeuronaLSTMSequence';
/** Kernel name of its backward pass. */
export const LSTM_SEQUENCE_GRAD = 'NeuronaLSTMSequenceGrad';

export interface LstmSequenceAttrs {
  recurrentActivation: GateActivation;
  goBackwards: boolean;
}

/**
 * A whole LSTM sequence for the WASM backend, as Keras's and tfjs's `LSTM` computes it, given the
 * input projection `xw = x·W + b` `[batch, time, 4u]` (one matrix product for every step, done
 * before) and the recurrent kernel `R` `[u, 4u]`, gates in Keras's order i, f, g, o:
 *
 *   z_t = xw_t + h_{t−1}·R,   i = σ(z_i),  f = σ(z_f),  g = tanh(z_g),  o = σ(z_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 *
 * σ is the sigmoid or tfjs's hard sigmoid. Per step, two calls: the recurrent product (XNNPACK)
 * and one loop over the batch's gates, where tfjs's layer makes some thirty kernel calls (split,
 * adds, activations, products, concat). With `goBackwards` the step `s` reads time `T − 1 − s`,
 * and outputs are in the order of the steps, as Keras.
 *
 * Outputs `h` and `c` `[batch, time, u]`, and the gates after their activations `[batch, time, 4u]`,
 * which the backward pass reads.
 */
function lstmSequence(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: LstmSequenceAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { xw, recurrentKernel, h0, c0 } = inputs as Named<'xw' | 'recurrentKernel' | 'h0' | 'c0'>;
  const [batch, time, four] = xw.shape as [number, number, number];
  const units = four / 4;
  if (recurrentKernel.shape.join() !== `${units},${four}`)
    throw new UnsupportedKernelConfigError(
      LSTM_SEQUENCE,
      `recurrentKernel [${recurrentKernel.shape}] must be [${units}, ${four}]`,
    );
  const act = gateFunction(LSTM_SEQUENCE, attrs.recurrentActivation);
  const h = backend.makeOutput([batch, time, units], 'float32');
  const c = backend.makeOutput([batch, time, units], 'float32');
  const gates = backend.makeOutput([batch, time, four], 'float32');
  const R = reshaped(recurrentKernel, [1, units, four]);
  const cPrev = Float32Array.from(heap(backend, c0));
  let hPrev = reshaped(h0, [1, batch, units]);
  let owned: tf.TensorInfo | undefined;
  for (let s = 0; s < time; s++) {
    const t = attrs.goBackwards ? time - 1 - s : s;
    const hr = matMul(backend, hPrev, R);
    const hNext = backend.makeOutput([1, batch, units], 'float32');
    const z = heap(backend, hr);
    const x = heap(backend, xw);
    const g = heap(backend, gates);
    const hs = heap(backend, h);
    const cs = heap(backend, c);
    const hOut = heap(backend, hNext);
    for (let b = 0; b < batch; b++) {
      const zRow = b * four;
      const xRow = (b * time + t) * four;
      const gRow = (b * time + s) * four;
      const sRow = (b * time + s) * units;
      for (let j = 0; j < units; j++) {
        const i = act((x[xRow + j] as number) + (z[zRow + j] as number));
        const f = act((x[xRow + units + j] as number) + (z[zRow + units + j] as number));
        const gg = tanh((x[xRow + 2 * units + j] as number) + (z[zRow + 2 * units + j] as number));
        const o = act((x[xRow + 3 * units + j] as number) + (z[zRow + 3 * units + j] as number));
        const cell = Math.fround(f * (cPrev[b * units + j] as number) + i * gg);
        const out = o * tanh(cell);
        g[gRow + j] = i;
        g[gRow + units + j] = f;
        g[gRow + 2 * units + j] = gg;
        g[gRow + 3 * units + j] = o;
        cPrev[b * units + j] = cell;
        cs[sRow + j] = cell;
        hs[sRow + j] = out;
        hOut[b * units + j] = out;
      }
    }
    backend.disposeData(hr.dataId);
    if (owned) backend.disposeData(owned.dataId);
    owned = hNext;
    hPrev = hNext;
  }
  if (owned) backend.disposeData(owned.dataId);
  return [h, c, gates];
}

/**
 * The backward pass of `lstmSequence`, through time. Given `dh` and `dc`, the gradients reaching the
 * outputs `h` and `c`, from the last step to the first (`δh`, `δc` carry into the step before):
 *
 *   δh_t = dh_t + δh,   δc_t = dc_t + δc + δh_t ⊙ o ⊙ (1 − tanh²c_t)
 *   dz = [δc_t ⊙ g ⊙ σ'(i),  δc_t ⊙ c_{t−1} ⊙ σ'(f),  δc_t ⊙ i ⊙ (1 − g²),  δh_t ⊙ tanh c_t ⊙ σ'(o)]
 *   δc ← δc_t ⊙ f,   δh ← dz · Rᵀ
 *
 * Per step: one loop and one product with `Rᵀ` (transposed once). After the loop, one product
 * `dR = Σ_t h_{t−1}ᵀ·dz_t` over every step at once. Outputs `dxw` (= dz in the input's time order)
 * `[batch, time, 4u]`, `dR` `[u, 4u]`, `dh0`, `dc0` `[batch, u]`.
 */
function lstmSequenceGrad(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: LstmSequenceAttrs;
}): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dh, dc, recurrentKernel, h0, c0, h, c, gates } = inputs as Named<
    'dh' | 'dc' | 'recurrentKernel' | 'h0' | 'c0' | 'h' | 'c' | 'gates'
  >;
  const [batch, time, four] = gates.shape as [number, number, number];
  const units = four / 4;
  const derivative = gateDerivative(attrs.recurrentActivation);
  const dxw = backend.makeOutput([batch, time, four], 'float32');
  const dh0 = backend.makeOutput([batch, units], 'float32');
  const dc0 = backend.makeOutput([batch, units], 'float32');
  const Rt = transposed(backend, recurrentKernel);
  const carriedH = new Float32Array(batch * units);
  const carriedC = new Float32Array(batch * units);
  const c0Copy = Float32Array.from(heap(backend, c0));
  try {
    for (let s = time - 1; s >= 0; s--) {
      const t = attrs.goBackwards ? time - 1 - s : s;
      const dz = backend.makeOutput([1, batch, four], 'float32');
      const dzs = heap(backend, dz);
      const dx = heap(backend, dxw);
      const dhs = heap(backend, dh);
      const dcs = heap(backend, dc);
      const cs = heap(backend, c);
      const g = heap(backend, gates);
      for (let b = 0; b < batch; b++) {
        const sRow = (b * time + s) * units;
        const gRow = (b * time + s) * four;
        const xRow = (b * time + t) * four;
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          const i = g[gRow + j] as number;
          const f = g[gRow + units + j] as number;
          const gg = g[gRow + 2 * units + j] as number;
          const o = g[gRow + 3 * units + j] as number;
          const cell = cs[sRow + j] as number;
          const before = s > 0 ? (cs[sRow - units + j] as number) : (c0Copy[k] as number);
          const tc = tanh(cell);
          const dhT = (dhs[sRow + j] as number) + (carriedH[k] as number);
          const dcT = (dcs[sRow + j] as number) + (carriedC[k] as number) + dhT * o * (1 - tc * tc);
          const di = dcT * gg * derivative(i);
          const df = dcT * before * derivative(f);
          const dg = dcT * i * (1 - gg * gg);
          const dO = dhT * tc * derivative(o);
          dzs[b * four + j] = di;
          dzs[b * four + units + j] = df;
          dzs[b * four + 2 * units + j] = dg;
          dzs[b * four + 3 * units + j] = dO;
          carriedC[k] = dcT * f;
        }
        dx.set(dzs.subarray(b * four, (b + 1) * four), xRow);
      }
      const back = matMul(backend, dz, Rt);
      carriedH.set(heap(backend, back));
      backend.disposeData(back.dataId);
      backend.disposeData(dz.dataId);
    }
    heap(backend, dh0).set(carriedH);
    heap(backend, dc0).set(carriedC);
    const hPrev = previousStates(backend, h, h0, attrs.goBackwards);
    try {
      const dR = transposedTimes(backend, hPrev, reshaped(dxw, [batch * time, four]));
      return [dxw, dR, dh0, dc0];
    } finally {
      backend.disposeData(hPrev.dataId);
    }
  } finally {
    backend.disposeData(Rt.dataId);
  }
}

export const lstmSequenceConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: lstmSequence as unknown as tf.KernelFunc,
};

export const lstmSequenceGradConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: lstmSequenceGrad as unknown as tf.KernelFunc,
};

/**
 * The tape's gradient of `NeuronaLSTMSequence`: one call of its backward kernel for all four inputs
 * (outputs nobody read get zeros). The gates output has no gradient of its own: only the backward
 * pass reads it.
 */
export const lstmSequenceGradient: tf.GradConfig = {
  kernelName: LSTM_SEQUENCE,
  inputsToSave: ['recurrentKernel', 'h0', 'c0'],
  outputsToSave: [true, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [recurrentKernel, h0, c0, h, c, gates] = saved as tf.Tensor[];
    const [dh, dc] = dy as (tf.Tensor | null)[];
    const zerosLikeH = () => tf.zeros((h as tf.Tensor).shape);
    const [dxw, dR, dh0, dc0] = tf
      .engine()
      .runKernel(
        LSTM_SEQUENCE_GRAD,
        { dh: dh ?? zerosLikeH(), dc: dc ?? zerosLikeH(), recurrentKernel, h0, c0, h, c, gates } as tf.NamedTensorMap,
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return {
      xw: () => dxw as tf.Tensor,
      recurrentKernel: () => dR as tf.Tensor,
      h0: () => dh0 as tf.Tensor,
      c0: () => dc0 as tf.Tensor,
    };
  },
};
