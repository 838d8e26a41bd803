import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError } from './kernel-context.js';

const NAME = 'MaxPoolGrad';

/**
 * The gradient of max pooling for the WASM backend, as one pass over the heap: each
 * output's gradient goes to the first position holding the window's maximum (as tfjs's
 * CPU kernel chooses), channels innermost so reads stay contiguous.
 */
export function maxPoolGrad(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const input = inputs.input as tf.TensorInfo;
  if (input.dtype !== 'float32' || input.shape.length !== 4) {
    throw new UnsupportedKernelConfigError(
      NAME,
      `input ${input.dtype} [${input.shape}] is not supported; allowed: float32 NHWC`,
    );
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const dx = backend.makeOutput(input.shape, 'float32');
  const out = backend.typedArrayFromHeap(dx);
  out.fill(0);
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let n = 0; n < batchSize; n++) {
    const base = n * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let fh = 0; fh < filterHeight; fh++) {
          const h = h0 + fh;
          if (h < 0 || h >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const w = w0 + fw;
            if (w < 0 || w >= inWidth) continue;
            const at = base + (h * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[at + c] as number;
              if (v > (best[c] as number) || where[c] === -1) {
                best[c] = v;
                where[c] = at + c;
              }
            }
          }
        }
        const gradAt = ((n * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const i = where[c] as number;
          if (i >= 0) out[i] = (out[i] as number) + (g[gradAt + c] as number);
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
