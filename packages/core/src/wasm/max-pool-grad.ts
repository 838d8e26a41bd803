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
      const hStart = Math.max(0, h0);
      const hEnd = Math.min(inHeight, h0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        const wStart = Math.max(0, w0);
        const wEnd = Math.min(inWidth, w0 + filterWidth);
        const gradAt = ((n * outHeight + oh) * outWidth + ow) * channels;
        if (hStart >= hEnd || wStart >= wEnd) continue; // a window wholly in the padding
        // The window's first position starts every channel's maximum; later ones replace it only when larger.
        const first = base + (hStart * inWidth + wStart) * channels;
        for (let c = 0; c < channels; c++) {
          best[c] = x[first + c] as number;
          where[c] = first + c;
        }
        for (let h = hStart; h < hEnd; h++) {
          for (let w = h === hStart ? wStart + 1 : wStart; w < wEnd; w++) {
            const at = base + (h * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[at + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                where[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const i = where[c] as number;
          out[i] = (out[i] as number) + (g[gradAt + c] as number);
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
