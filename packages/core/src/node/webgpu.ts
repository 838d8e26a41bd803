// TensorFlow.js's WebGPU backend in Node, on Dawn (the npm package `webgpu`): a GPU without
// CUDA, over Vulkan (Linux), Metal (macOS) or D3D12 (Windows).
//
// The shims, and why: tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when
// it is imported, and its shaders use the WebGPU globals (`GPUBufferUsage`, `GPUMapMode`, …).
// Node 20 has neither, so before the import we put Dawn's globals on `globalThis` and a
// `navigator` holding Dawn's `gpu` (an existing `navigator`, Node ≥ 21, gets a `gpu` property).
// Nothing in node_modules is patched.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMarked, NeuronaError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendCandidate } from '../backend/select.js';
import { type GpuAdapterInfo, readAdapter } from '../backend/software-gpu.js';
import type { TrainingCallback } from '../callbacks/types.js';

interface Adapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}
interface Gpu {
  requestAdapter(options?: object): Promise<Adapter | null>;
}
interface Device {
  destroy(): void;
  lost: Promise<{ reason: string; message: string }>;
}

/** The native API Dawn drives on this platform. */
const platformApi = () => (process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'D3D12' : 'Vulkan');

let gpu: Gpu | undefined;
// The adapter Dawn offered, as read by the last selection.
let seen: ReturnType<typeof readAdapter> | undefined;
let lost: { reason: string; message: string } | undefined;
let watched: Device | undefined;

// A specifier held in a variable keeps bundlers and tsc from resolving optional peers.
const importOptional = (specifier: string) => import(specifier);

/**
 * On Linux, why the Vulkan loader would find no driver: no ICD file where it looks (the
 * driver's `*_icd.json`), unless the environment names one. Checked before Dawn starts, which
 * would otherwise print its own warnings for every run on a machine without a GPU.
 */
export function vulkanDriverProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux') return undefined;
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES) return undefined;
  const roots = [
    ...(env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':'),
    '/etc',
    ...(env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':'),
    '/usr/local/share',
    '/usr/share',
  ].filter(Boolean);
  const dirs = [...new Set(roots.map((root) => join(root, 'vulkan', 'icd.d')))];
  const found = dirs.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json')));
  if (found) return undefined;
  return `no adapter: no Vulkan driver is installed (no ICD file in ${dirs.filter((d) => d.startsWith('/usr/share') || d.startsWith('/etc/vulkan')).join(', ')}); install the GPU driver's Vulkan support, or name an ICD with VK_ICD_FILENAMES`;
}

/** Marks an import error with the package to install, for the report. */
function missing(error: unknown, packageName: string): never {
  if (error && typeof error === 'object') Object.assign(error, { missingPackage: packageName });
  throw error;
}

/** Loads Dawn and tfjs's WebGPU backend, with the globals tfjs needs (see the top of this file). */
async function loadWebGpu() {
  if (!gpu) {
    const dawn = (await importOptional('webgpu').catch((e) => missing(e, 'webgpu'))) as {
      create(flags: string[]): Gpu;
      globals: Record<string, unknown>;
    };
    for (const [key, value] of Object.entries(dawn.globals)) {
      if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
    gpu = dawn.create([]);
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  await importOptional('@tensorflow/tfjs-backend-webgpu').catch((e) => missing(e, '@tensorflow/tfjs-backend-webgpu'));
}

/** Why Dawn's adapter should be passed over: none at all, or a software one unless asked for by name. */
async function adapterProblem(named: boolean): Promise<string | undefined> {
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    return `no adapter: Dawn found no ${platformApi()} GPU (on Linux it needs libvulkan1 and the GPU driver's Vulkan ICD)`;
  }
  seen = readAdapter(adapter);
  if (!named && seen.software) {
    return `software adapter (${seen.name}), slower than WASM; asking for webgpu by name uses it anyway`;
  }
  return undefined;
}

/** Watches the device tfjs made: a lost device is remembered (for a clear error) and released on exit. */
function watchDevice() {
  const device = (tf.backend() as unknown as { device?: Device }).device;
  if (!device || device === watched) return;
  watched = device;
  lost = undefined;
  void device.lost.then((info) => {
    if (watched === device) lost = { reason: info.reason, message: info.message };
  });
}

/**
 * Node's `webgpu` backend candidate: Dawn from the optional peer `webgpu`, then
 * `@tensorflow/tfjs-backend-webgpu`. Automatic selection takes only a hardware adapter;
 * asked for by name it takes a software one too (SwiftShader, llvmpipe).
 */
export const webGpuCandidate: BackendCandidate = {
  name: 'webgpu',
  tfName: 'webgpu',
  packageName: 'webgpu',
  // No driver, no Dawn: nothing is loaded or put on globalThis.
  unavailable: () => vulkanDriverProblem(),
  load: loadWebGpu,
  adapterProblem,
  afterSelect: () => {
    watchDevice();
    return [];
  },
  describe: () =>
    seen && `adapter: ${seen.name}, ${platformApi()} through Dawn${seen.software ? ', a software adapter' : ''}`,
};

const WEB_GPU_DEVICE_LOST_MARKER = Symbol.for('neurona.error.webgpu-device-lost');

/** Training stopped because the GPU device was lost; `epoch` is 0-based. */
export class WebGpuDeviceLostError extends NeuronaError {
  protected readonly [WEB_GPU_DEVICE_LOST_MARKER] = true;

  constructor(
    readonly epoch: number,
    readonly reason: string,
    detail: string,
  ) {
    super(`the GPU device was lost during epoch ${epoch + 1} (${reason}${detail ? `: ${detail}` : ''})`);
  }

  static override isInstance(error: unknown): error is WebGpuDeviceLostError {
    return isMarked(error, WEB_GPU_DEVICE_LOST_MARKER);
  }
}

/**
 * A training callback that stops training at the first batch after the WebGPU device is lost
 * (a driver reset, the GPU removed), with an error naming the epoch, instead of training on
 * with results that mean nothing. Checkpoints saved before stay intact.
 */
export class WebGpuDeviceWatch implements TrainingCallback {
  epoch = 0;
  onEpochBegin(epoch: number) {
    this.epoch = epoch;
  }
  onBatchEnd() {
    if (lost) throw new WebGpuDeviceLostError(this.epoch, lost.reason, lost.message);
  }
  onEpochEnd() {
    if (lost) throw new WebGpuDeviceLostError(this.epoch, lost.reason, lost.message);
  }

  /**
   * What an error from training means: a `WebGpuDeviceLostError` naming the epoch when the
   * device was lost (a read from a lost device fails with a bare AbortError, sometimes before
   * the loss is reported: this waits up to `waitMs` for the report), else the error itself.
   */
  async explain(error: unknown, waitMs = 500): Promise<unknown> {
    if (WebGpuDeviceLostError.isInstance(error) || !watched) return error;
    const device = watched;
    const waited = new Promise<undefined>((resolve) => {
      // Never keeps the process alive by itself.
      (setTimeout(resolve, waitMs) as unknown as { unref?: () => void }).unref?.();
    });
    const info = lost ?? (await Promise.race([device.lost, waited]));
    if (!info) return error;
    const explained = new WebGpuDeviceLostError(this.epoch, info.reason, info.message);
    return Object.assign(explained, { cause: error });
  }
}

/** The GPU device tfjs's WebGPU backend lost (driver reset, GPU removed, destroyed), if it did. */
export function webGpuDeviceLost(): { reason: string; message: string } | undefined {
  return lost;
}

/** The adapter the `webgpu` backend runs on, once selected. */
export function webGpuAdapterInfo(): GpuAdapterInfo | undefined {
  return seen ? { ...seen.info } : undefined;
}

/**
 * Releases the WebGPU device so the process can exit: Dawn keeps Node's event loop alive while
 * a device is referenced. Frees every tensor on the backend; call it when the work is done.
 */
export function releaseWebGpu() {
  // The engine's registry holds the backends already started: `tf.findBackend` would start one.
  const started = (tf.engine() as unknown as { registry: Record<string, { device?: Device } | undefined> }).registry;
  const backend = started.webgpu;
  if (!backend) return;
  const device = backend.device;
  watched = undefined;
  tf.removeBackend('webgpu');
  device?.destroy();
}
