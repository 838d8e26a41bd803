import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/index.js';
import { planNodeWasmThreads, useBackend } from '../src/node.js';

const run = promisify(execFile);
const cores = availableParallelism();

/**
 * A child process (the WASM backend is one per process): picks wasm with `threads` and trains 5
 * seeded steps of a small CNN, printing the report's detail and the losses. It ends by itself:
 * the threaded build's workers must not keep Node alive.
 */
async function trainIn(threads: number) {
  const script = fileURLToPath(new URL('./fixtures/wasm-threads-child.mjs', import.meta.url));
  const { stdout } = await run(process.execPath, [script, String(threads)], { timeout: 90_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { detail: string; losses: number[] };
}

describe('WASM threads in Node', () => {
  it('plans every logical core by default, cuts to the cores, and says why it falls back to one', () => {
    const facts = { cores: 2, sharedArrayBuffer: true };
    expect(planNodeWasmThreads({ ...facts, asked: undefined })).toEqual({ count: 2 });
    expect(planNodeWasmThreads({ ...facts, asked: 1 })).toEqual({ count: 1 });
    expect(planNodeWasmThreads({ ...facts, asked: undefined, cores: 32 })).toEqual({ count: 8 });
    expect(planNodeWasmThreads({ ...facts, asked: 6 })).toEqual({
      count: 2,
      reason: 'asked for 6; the machine has 2 logical cores',
    });
    expect(planNodeWasmThreads({ ...facts, asked: 2, sharedArrayBuffer: false })).toEqual({
      count: 1,
      reason: 'this Node has no SharedArrayBuffer, which the threaded build needs',
    });
    const workerProblem =
      'the pthread worker of @tensorflow/tfjs-backend-wasm 5.0.0 is not the one this loader knows (4.22)';
    expect(planNodeWasmThreads({ ...facts, asked: 2, workerProblem })).toEqual({ count: 1, reason: workerProblem });
    // One thread asked for needs none of it.
    expect(planNodeWasmThreads({ ...facts, asked: 1, sharedArrayBuffer: false })).toEqual({ count: 1 });
  });

  it('refuses a thread count tfjs cannot give before anything loads, naming the option', async () => {
    for (const bad of [0, 9, 1.5]) {
      await expect(useBackend('wasm', { wasmThreads: bad, log: false })).rejects.toSatisfy(
        (error) =>
          InvalidOptionError.isInstance(error) &&
          error.message === `useBackend: option 'wasmThreads' is ${bad}; allowed: an integer from 1 to 8 (tfjs's pool)`,
      );
    }
  });

  it('reads NEURONA_WASM_THREADS where the option is not given, and names it when it is not a thread count', async () => {
    process.env.NEURONA_WASM_THREADS = 'many';
    try {
      await expect(useBackend('wasm', { log: false })).rejects.toThrow(
        "environment: option 'NEURONA_WASM_THREADS' is 'many'; allowed: an integer from 1 to 8 (the WASM backend's threads)",
      );
    } finally {
      delete process.env.NEURONA_WASM_THREADS;
    }
  });

  it("starts tfjs's threaded build in worker_threads: the report names the threads, the losses are one thread's, and the process ends by itself", async () => {
    const [one, two] = [await trainIn(1), await trainIn(2)];
    expect(one.detail).toBe('1 thread');
    expect(two.detail).toBe(cores >= 2 ? '2 threads' : '1 thread: asked for 2; the machine has 1 logical cores');
    expect(two.losses).toHaveLength(5);
    expect(two.losses[4]).toBeLessThan(two.losses[0] as number);
    for (const [i, loss] of two.losses.entries()) expect(Math.abs(loss - (one.losses[i] as number))).toBeLessThan(1e-5);
  }, 200_000);
});
