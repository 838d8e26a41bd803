import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError } from './kernel-context.js';

const NAME = 'Tile';

/**
 * Tile for the WASM backend as block copies on the heap (tfjs's computes every output
 * index on its own, which made it the slowest kernel of a BatchNorm gradient). Each
 * innermost row of the output is a copy of an input row, written `reps[last]` times;
 * a size-1 row is a fill.
 */
export function tile(args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackend; attrs: { reps: number[] } }) {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const { reps } = attrs;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new UnsupportedKernelConfigError(NAME, `dtype ${x.dtype} is not supported; allowed: float32, int32, bool`);
  }
  if (reps.length !== x.shape.length) {
    throw new UnsupportedKernelConfigError(NAME, `reps [${reps}] must have one entry per axis of x [${x.shape}]`);
  }
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const r = reps.length === 0 ? [1] : reps;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * (r[i] as number));
  const out = backend.makeOutput(x.shape.length === 0 ? [] : outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rowLength = shape[rank - 1] as number;
  const rowReps = r[rank - 1] as number;
  const outRows = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  // Row index of the input for each output row, by mixed-radix counting over the outer axes.
  const counter = new Array<number>(rank - 1).fill(0);
  let offset = 0;
  for (let row = 0; row < outRows; row++) {
    let inRow = 0;
    for (let a = 0; a < rank - 1; a++)
      inRow = inRow * (shape[a] as number) + ((counter[a] as number) % (shape[a] as number));
    const from = inRow * rowLength;
    if (rowLength === 1) {
      dst.fill(src[from] as number, offset, offset + rowReps);
      offset += rowReps;
    } else {
      const source = src.subarray(from, from + rowLength);
      for (let k = 0; k < rowReps; k++) {
        dst.set(source, offset);
        offset += rowLength;
      }
    }
    for (let a = rank - 2; a >= 0; a--) {
      counter[a] = (counter[a] as number) + 1;
      if ((counter[a] as number) < (outShape[a] as number)) break;
      counter[a] = 0;
    }
  }
  return out;
}

export const tileConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: tile as unknown as tf.KernelFunc,
};
