import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError } from './kernel-context.js';

const NAME = 'UnsortedSegmentSum';

/**
 * `out[s, …] = Σ x[i, …] over the i with segmentIds[i] = s`, for the WASM backend: the
 * gradient of a gather, so of the Embedding layer. One pass over the WASM heap; ids
 * outside [0, numSegments) are skipped, as the CPU backend does.
 */
export function unsortedSegmentSum(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: { numSegments: number };
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const ids = inputs.segmentIds as tf.TensorInfo;
  const { numSegments } = attrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new UnsupportedKernelConfigError(NAME, `dtype ${x.dtype} is not supported; allowed: float32, int32`);
  }
  if (ids.shape.length !== 1 || ids.shape[0] !== x.shape[0]) {
    throw new UnsupportedKernelConfigError(
      NAME,
      `segmentIds of shape [${ids.shape}] is not supported for x of shape [${x.shape}]; allowed: a vector of length x.shape[0]`,
    );
  }
  const rows = x.shape[0] ?? 0;
  const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const outValues = backend.typedArrayFromHeap(out);
  outValues.fill(0); // makeOutput does not clear the heap
  const xValues = backend.typedArrayFromHeap(x);
  const idValues = backend.typedArrayFromHeap(ids);
  for (let i = 0; i < rows; i++) {
    const s = idValues[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const from = i * rowSize;
    const to = s * rowSize;
    for (let j = 0; j < rowSize; j++) outValues[to + j] = (outValues[to + j] as number) + (xValues[from + j] as number);
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
