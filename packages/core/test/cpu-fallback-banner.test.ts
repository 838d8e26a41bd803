import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../src/node.js';

// Its own file, so its worker's CPU backend has never been written to: tfjs prints its
// "install tfjs-node" banner on the CPU backend's first write in Node.
describe('a WASM kernel borrowed from the CPU backend', () => {
  const warn = vi.spyOn(console, 'warn');
  afterAll(() => warn.mockRestore());

  it('runs without tfjs telling a WASM user to install tfjs-node', async () => {
    await useBackend('wasm', { log: false });
    const before = tf.memory().numTensors;
    const x = tf.ones([1, 6, 6, 2]);
    const dy = tf.ones([1, 6, 6, 2]);
    const grad = tf.engine().runKernel(
      'DepthwiseConv2dNativeBackpropFilter',
      { x, dy } as unknown as tf.NamedTensorMap,
      {
        strides: [1, 1],
        pad: 'same',
        dilations: [1, 1],
        filterShape: [3, 3, 2, 1],
      } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
    expect(tf.getBackend()).toBe('wasm');
    expect(grad.shape).toEqual([3, 3, 2, 1]);
    // The centre tap sees all 36 positions; a corner tap 25 (one row and one column fall off).
    const values = await grad.data();
    expect(values[(1 * 3 + 1) * 2]).toBe(36);
    expect(values[0]).toBe(25);
    const banners = warn.mock.calls.filter((args) => String(args[0]).includes('tfjs-node'));
    expect(banners).toEqual([]);
    tf.dispose([x, dy, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
