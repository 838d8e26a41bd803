// The `webgpu` Node backend on Dawn. No GPU here: Dawn finds a software adapter through
// Chromium's SwiftShader Vulkan driver (Debian's `chromium` ships it; `libvulkan1` loads it).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../src/backend/select.js';
import { createRng, fit } from '../src/index.js';
import { vulkanDriverProblem } from '../src/node/webgpu.js';
import {
  loadCheckpoint,
  nodeBackends,
  releaseWebGpu,
  saveCheckpoint,
  useBackend,
  WebGpuDeviceLostError,
  WebGpuDeviceWatch,
  webGpuDeviceLost,
} from '../src/node.js';

const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const libvulkan = ['/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/x86_64-linux-gnu/libvulkan.so.1'].some(existsSync);
const adapter = existsSync(swiftShader) && libvulkan;
const why = adapter ? '' : `no Vulkan adapter here (needs Debian's libvulkan1 and chromium's ${swiftShader})`;
if (!adapter) console.warn(`webgpu tests skipped: ${why}`);

/** Runs a Node script with SwiftShader named as the Vulkan driver; resolves with its exit and output. */
function node(script: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, VK_ICD_FILENAMES: swiftShader, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: performance.now() - started });
    });
  });
}

const core = fileURLToPath(new URL('../dist/node.js', import.meta.url));

describe('the webgpu backend in Node (Dawn)', () => {
  it.skipIf(!adapter)(
    'passes over the software adapter when choosing, and takes it when asked by name; the process then exits by itself',
    async () => {
      const { code, out, ms } = await node(`
      import * as tf from '@tensorflow/tfjs';
      import { useBackend, useBestBackend } from '${core}';
      const best = await useBestBackend({ log: false });
      console.log('best', best.backend, best.attempts.find((a) => a.name === 'webgpu').reason);
      const named = await useBackend('webgpu');
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      console.log('matMul', Array.from(await tf.matMul(x, x).data()).join(','));
    `);
      expect(out).toMatch(
        /best wasm software adapter \(.*swiftshader.*\), slower than WASM; asking for webgpu by name uses it anyway/i,
      );
      expect(out).toMatch(
        /neurona: using the webgpu backend \(adapter: .*swiftshader.*, Vulkan through Dawn, a software adapter\)/i,
      );
      expect(out).toContain('matMul 7,10,15,22');
      expect(code).toBe(0); // it ended on its own: no device keeps the event loop alive
      expect(ms).toBeLessThan(30_000);
    },
  );

  it('says which Vulkan driver is missing, in one line, when asked for by name', async () => {
    const { code, out } = await node(`import { useBackend } from '${core}'; await useBackend('webgpu');`, {
      VK_ICD_FILENAMES: '',
      XDG_DATA_DIRS: '/nonexistent',
      XDG_CONFIG_DIRS: '/nonexistent',
    });
    expect(code).not.toBe(0);
    if (vulkanDriverProblem({ XDG_DATA_DIRS: '/nonexistent', XDG_CONFIG_DIRS: '/nonexistent' })) {
      expect(out).toContain(
        "Error: Backend 'webgpu' cannot be used: no adapter: no Vulkan driver is installed (no ICD file in",
      );
    } else {
      expect(out).toContain("Error: Backend 'webgpu' cannot be used: no adapter");
    }
  });

  it('names the package to install when Dawn is missing', async () => {
    const candidate = nodeBackends.find((c) => c.name === 'webgpu');
    const report = await selectBackend(
      [
        {
          ...(candidate as (typeof nodeBackends)[number]),
          unavailable: () => undefined, // a driver is there; the package is not
          load: () =>
            Promise.reject(
              Object.assign(new Error("Cannot find package 'webgpu' imported from /app/x.js"), {
                code: 'ERR_MODULE_NOT_FOUND',
                missingPackage: 'webgpu',
              }),
            ),
        },
        { name: 'cpu', tfName: 'cpu' },
      ],
      { log: false },
    );
    expect(report.attempts[0]).toEqual({
      name: 'webgpu',
      outcome: 'not-installed',
      reason: 'not installed (npm install webgpu)',
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('finds no Vulkan driver without an ICD file or variable, and trusts one named', () => {
    expect(
      vulkanDriverProblem({
        XDG_DATA_DIRS: '/nonexistent',
        XDG_CONFIG_DIRS: '/nonexistent',
        VK_ICD_FILENAMES: swiftShader,
      }),
    ).toBeUndefined();
  });

  it.skipIf(!adapter)('useBackend in this process takes the software adapter by name', async () => {
    process.env.VK_ICD_FILENAMES ??= swiftShader;
    const report = await useBackend('webgpu', { log: false });
    expect(report.attempts[0]?.detail).toMatch(/swiftshader/i);
    expect(tf.getBackend()).toBe('webgpu');
    await useBackend('cpu', { log: false });
  });
});

describe('a lost GPU device', () => {
  it.skipIf(!adapter)('stops training with an error naming the epoch; the last checkpoint stays whole', async () => {
    process.env.VK_ICD_FILENAMES ??= swiftShader;
    await useBackend('webgpu', { log: false });
    const dir = await mkdtemp(join(tmpdir(), 'neurona-lost-'));
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([40, 4], 0, 1, 'float32', 1);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 40 }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    // The driver resets during the second epoch (here: the device is destroyed, as a reset does).
    const lose = {
      onBatchEnd: (batch: number) => {
        if (watch.epoch === 1 && batch === 2)
          (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
      },
    };
    const watch = new WebGpuDeviceWatch();
    const error = await fit(model, x, y, {
      epochs: 4,
      batchSize: 8,
      rng: createRng(1),
      callbacks: [watch, lose],
      checkpoint: { save: async (s) => void (await saveCheckpoint(dir, s)) },
    }).catch((e: unknown) => watch.explain(e));
    expect(error).toBeInstanceOf(WebGpuDeviceLostError);
    expect((error as Error).message).toMatch(/^the GPU device was lost during epoch 2 \(destroyed/);
    expect(webGpuDeviceLost()?.reason).toBe('destroyed');
    releaseWebGpu();
    await useBackend('cpu', { log: false });
    const last = await loadCheckpoint(dir);
    expect([last.epoch, last.batch]).toEqual([1, 0]);
    last.dispose();
  });
});
