import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-context.js';

interface CpuBackend {
  /** tfjs's CPU backend prints "install tfjs-node" on its first write in Node while this is true. */
  firstUse?: boolean;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/**
 * A WASM kernel that borrows the CPU backend's implementation: the inputs are copied out
 * of the WASM heap, the CPU kernel runs on them, and its output is copied back in. For
 * kernels the WASM backend lacks and that run on small tensors — the depthwise-convolution
 * gradients MobileNet's last block needs when it is fine-tuned (book ch. 11). Every CPU
 * buffer made here is freed before returning.
 */
export function cpuFallback(kernelName: string): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as unknown as WasmBackend & { readSync(dataId: tf.DataId): tf.backend_util.BackendValues };
      const cpuKernel = tf.getKernel(kernelName, 'cpu');
      const cpu = tf.findBackend('cpu') as unknown as CpuBackend | null;
      if (!cpuKernel || !cpu)
        // invariant: only kernels the CPU backend has are borrowed
        throw new Error(`${kernelName} (neurona, wasm backend): the cpu backend has no such kernel`);
      // The banner would tell someone who chose WASM to install tfjs-node, mid-training, as if
      // the CPU backend were running the model; it runs one borrowed kernel.
      cpu.firstUse = false;
      const made: tf.DataId[] = [];
      try {
        const moved: Record<string, tf.TensorInfo> = {};
        for (const [name, info] of Object.entries(inputs as Record<string, tf.TensorInfo>)) {
          const dataId = cpu.write(wasm.readSync(info.dataId), info.shape, info.dtype);
          made.push(dataId);
          moved[name] = { dataId, shape: info.shape, dtype: info.dtype };
        }
        const result = cpuKernel.kernelFunc({
          inputs: moved,
          attrs: attrs ?? {},
          backend: cpu as unknown as tf.KernelBackend,
        }) as tf.TensorInfo | tf.TensorInfo[];
        const outputs = Array.isArray(result) ? result : [result];
        for (const o of outputs) made.push(o.dataId);
        const back = outputs.map((o) => {
          const info = wasm.makeOutput(o.shape, o.dtype);
          wasm.typedArrayFromHeap(info).set(cpu.readSync(o.dataId) as Float32Array | Int32Array | Uint8Array);
          return info;
        });
        return Array.isArray(result) ? back : (back[0] as tf.TensorInfo);
      } finally {
        for (const dataId of made) cpu.disposeData(dataId, true);
      }
    },
  };
}

/** The depthwise-convolution gradients (MobileNet fine-tuning), borrowed from the CPU backend. */
export const depthwiseGradientConfigs: readonly tf.KernelConfig[] = [
  cpuFallback('DepthwiseConv2dNativeBackpropFilter'),
  cpuFallback('DepthwiseConv2dNativeBackpropInput'),
];
