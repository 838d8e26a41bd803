import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { browserBackends } from '../src/backend/browser.js';
import { describeImportError, formatBackendReport, selectBackend } from '../src/backend/select.js';
import { InvalidOptionError } from '../src/index.js';
import { nodeBackendNames, useBackend, useBestBackend } from '../src/node.js';

// What the WASM backend reports by default here: every logical core (at most 8), threaded in Node.
const cores = Math.min(availableParallelism(), 8);
const wasmThreadsHere = `${cores} thread${cores === 1 ? '' : 's'}`;

describe('Node backend selection', () => {
  it('falls through tfjs-node-gpu and tfjs-node (not installable here) to wasm, saying why', async () => {
    const lines: string[] = [];
    const report = await useBestBackend({ log: (line) => lines.push(line) });
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // No GPU here: Dawn's adapter is absent (no Vulkan driver) or a software one, passed over.
    expect(report.attempts.map((a) => [a.name, a.outcome])).toEqual([
      ['tfjs-node-gpu', 'not-installed'],
      ['tfjs-node', 'not-installed'],
      ['webgpu', 'no-adapter'],
      ['wasm', 'chosen'],
      ['cpu', 'not-tried'],
    ]);
    expect(report.attempts[0]?.reason).toBe('not installed (npm install @tensorflow/tfjs-node-gpu)');
    const webgpu = report.attempts[2]?.reason ?? '';
    expect(webgpu).toMatch(
      /^no adapter: |^software adapter \(.+\), slower than WASM; asking for webgpu by name uses it anyway$/,
    );
    expect(lines.join('\n')).toBe(
      [
        `neurona: using the wasm backend (${wasmThreadsHere})`,
        '  passed over tfjs-node-gpu: not installed (npm install @tensorflow/tfjs-node-gpu)',
        '  passed over tfjs-node: not installed (npm install @tensorflow/tfjs-node)',
        `  passed over webgpu: ${webgpu}`,
        "  with Neurona's kernels for wasm: Conv2DBackpropFilter, UnsortedSegmentSum, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput, NeuronaLSTMSequence, NeuronaLSTMSequenceGrad, NeuronaGRUSequence, NeuronaGRUSequenceGrad, NeuronaBatchNormTraining, NeuronaBatchNormTrainingGrad, Conv2DBackpropInput, MaxPoolGrad, Tile, BatchMatMul, _FusedMatMul, Slice, Unpack, SplitV, Sum, Mean",
      ].join('\n'),
    );
  });

  it('prints the same report only once per process', async () => {
    const lines: string[] = [];
    await useBestBackend({ log: (line) => lines.push(line) });
    await useBestBackend({ log: (line) => lines.push(line) });
    expect(lines).toHaveLength(0); // printed by the test above already
  });

  it('reports a package that is present but fails to load, and falls through to cpu', async () => {
    const report = await selectBackend(
      [
        {
          name: 'broken',
          tfName: 'broken',
          packageName: 'broken-pkg',
          load: () => Promise.reject(new Error('libtensorflow.so: cannot open shared object file')),
        },
        { name: 'cpu', tfName: 'cpu' },
      ],
      { log: false },
    );
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.attempts[0]).toEqual({
      name: 'broken',
      outcome: 'failed-to-load',
      reason:
        'failed to load: libtensorflow.so is missing: broken-pkg needs libtensorflow, which its install step downloads; reinstall it where the network is reachable',
    });
  });

  it('says which CUDA library tfjs-node-gpu misses and what it needs, then falls through', async () => {
    // What Node throws when the package is installed but CUDA 11 is not on the machine.
    const dlopen = Object.assign(
      new Error(
        '/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node: libcudart.so.11.0: cannot open shared object file: No such file or directory',
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const report = await selectBackend(
      [
        {
          name: 'tfjs-node-gpu',
          tfName: 'tensorflow',
          packageName: '@tensorflow/tfjs-node-gpu',
          load: () => Promise.reject(dlopen),
        },
        { name: 'cpu', tfName: 'cpu' },
      ],
      { log: false },
    );
    expect(report.backend).toBe('cpu');
    expect(report.attempts[0]).toEqual({
      name: 'tfjs-node-gpu',
      outcome: 'failed-to-load',
      reason:
        "failed to load: libcudart.so.11.0 is missing: @tensorflow/tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1 exactly, their libraries on the loader's path (LD_LIBRARY_PATH)",
    });
  });

  it('tells a missing package from a package whose own dependency is missing', () => {
    const missing = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const inner = Object.assign(new Error("Cannot find module 'lib/napi-v8/tfjs_binding.node'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(describeImportError(missing, '@tensorflow/tfjs-node')).toBe('not-installed');
    expect(describeImportError(inner, '@tensorflow/tfjs-node')).toBe('failed-to-load');
  });

  it('uses a named backend, and rejects an unknown name listing the valid ones', async () => {
    expect((await useBackend('cpu', { log: false })).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await expect(useBackend('cuda', { log: false })).rejects.toThrow(
      "'cuda' is not a known backend; known: tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu",
    );
    await expect(useBackend('tfjs-node', { log: false })).rejects.toThrow(
      "Backend 'tfjs-node' cannot be used: not installed (npm install @tensorflow/tfjs-node)",
    );
    expect(nodeBackendNames).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu']);
  });

  it('skips the GPU backends outside a browser page and says so', async () => {
    const report = await selectBackend(browserBackends(), { log: false });
    expect(report.backend).toBe('wasm'); // registered by the tests above
    expect(formatBackendReport(report)).toContain('passed over webgpu: no adapter (navigator.gpu is absent)');
    expect(formatBackendReport(report)).toContain(
      'passed over webgl: no canvas (neither a page nor a worker with OffscreenCanvas)',
    );
  });
});

describe("the browser's WASM threads", () => {
  /** Runs `body` with a `navigator` of `cores` logical cores (Node 20 has none), as a browser would give. */
  async function withCores<T>(cores: number, body: () => Promise<T>): Promise<T> {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { hardwareConcurrency: cores } });
    try {
      return await body();
    } finally {
      if (had) Object.defineProperty(globalThis, 'navigator', had);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  }
  const wasmOf = (options: Parameters<typeof browserBackends>[0]) =>
    browserBackends(options).find((c) => c.name === 'wasm') as NonNullable<ReturnType<typeof browserBackends>[number]>;

  it('refuses a thread count tfjs cannot give, naming the option', () => {
    for (const bad of [0, 9, 2.5]) {
      const error = (() => {
        try {
          browserBackends({ wasmThreads: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidOptionError.isInstance(error) && [error.option, error.value]).toEqual(['wasmThreads', bad]);
    }
    expect(() => browserBackends({ wasmThreads: 0 })).toThrow(
      "useBrowserBackend: option 'wasmThreads' is 0; allowed: an integer from 1 to 8 (tfjs's pool)",
    );
  });

  it("lifts tfjs's half-the-cores cap only while the backend starts, and puts the navigator back", async () => {
    await withCores(2, async () => {
      const asked: number[] = [];
      const module = { setThreadsCount: (n: number) => asked.push(n), getThreadsCount: () => 2 };
      const wasm = wasmOf({ loaders: { wasm: async () => module } });
      await wasm.load?.();
      expect(asked).toEqual([2]); // every logical core by default
      const seen = await wasm.aroundInit?.(async () => navigator.hardwareConcurrency);
      expect(seen).toBe(4); // tfjs halves it: 2 threads
      expect(navigator.hardwareConcurrency).toBe(2);
      await expect(
        wasm.aroundInit?.(async () => {
          throw new Error('no wasm');
        }),
      ).rejects.toThrow('no wasm');
      expect(navigator.hardwareConcurrency).toBe(2);
      expect(wasm.describe?.()).toBe('2 threads');
    });
  });

  it('says why it runs on fewer threads than asked, or on one', async () => {
    await withCores(2, async () => {
      const wasm = wasmOf({ wasmThreads: 6, loaders: { wasm: async () => ({ getThreadsCount: () => 2 }) } });
      await wasm.load?.();
      expect(wasm.describe?.()).toBe('2 threads: asked for 6; the machine has 2 logical cores');
      const single = wasmOf({ loaders: { wasm: async () => ({ getThreadsCount: () => 1 }) } });
      await single.load?.();
      // Node has no crossOriginIsolated: as a page served without COOP/COEP.
      expect(single.describe?.()).toBe(
        '1 thread: the page is not cross-origin isolated (COOP/COEP headers), so it has no SharedArrayBuffer for more',
      );
      const one = wasmOf({ wasmThreads: 1, loaders: { wasm: async () => ({ getThreadsCount: () => 1 }) } });
      expect(await one.aroundInit?.(async () => navigator.hardwareConcurrency)).toBe(2); // nothing to lift
    });
  });
});
