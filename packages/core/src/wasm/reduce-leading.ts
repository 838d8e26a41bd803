import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { wasmKernel } from './kernel-context.js';

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/**
 * Sum (and Mean) over the leading axes of a float32 tensor, for the WASM backend, in one pass over
 * the heap. Seen as a matrix of `outer` rows (the reduced axes) by `inner` columns (the rest):
 *
 *   out[j] = Σ_{i < outer} x[i·inner + j]      (Mean: divided by outer)
 *
 * summed in float32 in tfjs's own order, so the results are tfjs's to the bit. A BatchNormalization gradient reduces `[batch, h, w, channels]`
 * over its first three axes, and a bias gradient `[batch, units]` over its first: tfjs's kernel
 * transposes the reduced axes innermost first, a strided copy of the whole input, which made
 * Sum and Mean a fifth of a Fashion-CNN step (`bench/profile.mjs fashion-cnn`). Other axes, and
 * other dtypes, go to tfjs's own kernel, which reduces trailing axes without a copy.
 */
function reduceLeading(name: 'Sum' | 'Mean') {
  return (args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackend; attrs: ReduceAttrs }) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.every((a, i) => a === i);
    const inner = x.shape.slice(axes.length).reduce((p, d) => p * d, 1);
    // Reducing everything, or trailing axes, is contiguous already: tfjs's kernel does it without a copy.
    if (x.dtype !== 'float32' || !leading || axes.length === rank || inner === 1)
      return wasmKernel(name)({ inputs, backend, attrs });
    const outer = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
    const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = backend.makeOutput(outShape, 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    // Float32 sums, added in the order tfjs's kernel adds them (row after row), so the results are
    // tfjs's to the bit: a trained network follows the same path as before (a Playground preset's
    // test loss reached its bar at the same epoch). Four rows a step, each addition rounded.
    const sums = new Float32Array(inner);
    let i = 0;
    for (const last = outer - (outer % 4); i < last; i += 4) {
      const row = i * inner;
      for (let j = 0; j < inner; j++) {
        const k = row + j;
        let s = Math.fround((sums[j] as number) + (src[k] as number));
        s = Math.fround(s + (src[k + inner] as number));
        s = Math.fround(s + (src[k + 2 * inner] as number));
        sums[j] = s + (src[k + 3 * inner] as number);
      }
    }
    for (; i < outer; i++) {
      const row = i * inner;
      for (let j = 0; j < inner; j++) sums[j] = (sums[j] as number) + (src[row + j] as number);
    }
    for (let j = 0; j < inner; j++)
      dst[j] = name === 'Mean' ? Math.fround((sums[j] as number) / outer) : (sums[j] as number);
    return out;
  };
}

export const sumConfig: tf.KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: reduceLeading('Sum') as unknown as tf.KernelFunc,
};

export const meanConfig: tf.KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: reduceLeading('Mean') as unknown as tf.KernelFunc,
};
