import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
const swapLastTwo = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

/**
 * Calls WASM's own `name` kernel (`BatchMatMul` or `_FusedMatMul`) with both transposes
 * done first as explicit `Transpose`s:
 *
 *   op(A)·op(B) = A'·B'   with   A' = transpose(A) if transposeA else A (likewise B)
 *
 * tfjs's WASM kernel hands a transposed operand to XNNPACK's slow path: `Aᵀ·B` for
 * [256×64]·[64×768] takes 17 ms against 1.6 ms for the transpose and the plain product
 * (`bench/profile.mjs char-gru`: 3.7 s of a 4.9 s step). Every dense layer's
 * backward pass (`dW = xᵀ·dy`, `dx = dy·Wᵀ`) and every recurrent step's goes through it.
 */
function untransposed(name: string) {
  return (args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackend; attrs: MatMulAttrs }) => {
    const { inputs, backend, attrs } = args;
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new UnsupportedKernelConfigError(
        name,
        `a [${a.shape}] and b [${b.shape}] must both have rank >= 2 (tfjs's matMul reshapes vectors first)`,
      );
    }
    const own = wasmKernel(name);
    if (!attrs.transposeA && !attrs.transposeB) return own({ inputs, backend, attrs });
    const transpose = wasmKernel('Transpose');
    const temporaries: tf.TensorInfo[] = [];
    try {
      const swap = (x: tf.TensorInfo) => {
        const t = transpose({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } });
        temporaries.push(t);
        return t;
      };
      return own({
        inputs: { ...inputs, a: attrs.transposeA ? swap(a) : a, b: attrs.transposeB ? swap(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: untransposed('BatchMatMul') as unknown as tf.KernelFunc,
};

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: untransposed('_FusedMatMul') as unknown as tf.KernelFunc,
};
