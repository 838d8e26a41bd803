import { isMarked, NeuronaError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's WASM backend our kernels use (its class is not exported as a type we can import here). */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

type KernelFunc = (args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs?: object;
}) => tf.TensorInfo;

const UNSUPPORTED_KERNEL_CONFIG_MARKER = Symbol.for('neurona.error.unsupported-kernel-config');

/** Thrown for a configuration one of our kernels does not support; names the kernel. */
export class UnsupportedKernelConfigError extends NeuronaError {
  protected readonly [UNSUPPORTED_KERNEL_CONFIG_MARKER] = true;

  constructor(
    readonly kernel: string,
    detail: string,
  ) {
    super(`${kernel} (neurona, wasm backend): ${detail}`);
  }

  static override isInstance(error: unknown): error is UnsupportedKernelConfigError {
    return isMarked(error, UNSUPPORTED_KERNEL_CONFIG_MARKER);
  }
}

/** tfjs's own WASM kernels that ours replaced, kept so ours can still build on them. */
const replacedKernels = new Map<string, KernelFunc>();

/** Keeps tfjs's WASM kernel `name` before one of ours takes its place (the first time only). */
export function keepTfjsKernel(name: string, ours: tf.KernelConfig): void {
  const current = tf.getKernel(name, 'wasm');
  if (current && current.kernelFunc !== ours.kernelFunc && !replacedKernels.has(name)) {
    replacedKernels.set(name, current.kernelFunc as unknown as KernelFunc);
  }
}

/**
 * Calls one of the WASM backend's own kernels directly, as backends compose kernels,
 * without the engine: no tape, no tensor bookkeeping. Where one of ours replaced tfjs's
 * kernel, this is still tfjs's. Whoever calls it frees the result with `backend.disposeData`.
 */
export function wasmKernel(name: string): KernelFunc {
  const replaced = replacedKernels.get(name);
  if (replaced) return replaced;
  const config = tf.getKernel(name, 'wasm');
  // invariant: tfjs 4.22's WASM backend registers every kernel ours build on
  if (!config) throw new Error(`neurona: the wasm backend has no '${name}' kernel to build on`);
  return config.kernelFunc as unknown as KernelFunc;
}
