// The book's models train on the Node `webgpu` backend (Dawn) as on the CPU backend: 20 seeded
// steps, losses equal to 1e-3. No GPU here: Chromium's SwiftShader Vulkan driver stands in
// (slow, but a real WebGPU implementation); skipped, saying why, where it is absent.
import { existsSync } from 'node:fs';
import { createRng } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mnistCnn } from '../src/index.js';

const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const libvulkan = ['/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/x86_64-linux-gnu/libvulkan.so.1'].some(existsSync);
const adapter = existsSync(swiftShader) && libvulkan;
if (!adapter) console.warn(`webgpu training tests skipped: no Vulkan adapter (needs libvulkan1 and ${swiftShader})`);
// Read by the Vulkan loader when Dawn starts in this process.
if (adapter) process.env.VK_ICD_FILENAMES ??= swiftShader;

/** The chapter-13 model, small: Embedding → LSTM → Dense over the vocabulary. */
function charLstm(seed: number) {
  const rng = createRng(seed);
  const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 30, outputDim: 16, inputLength: 10, embeddingsInitializer: init() }),
      tf.layers.lstm({ units: 32, returnSequences: true, kernelInitializer: init(), recurrentInitializer: init() }),
      tf.layers.dense({ units: 30, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

interface Case {
  build: () => tf.LayersModel;
  optimizer: () => tf.Optimizer;
  loss: string;
  data: () => [tf.Tensor, tf.Tensor];
}

const cases: Record<string, Case> = {
  'ch-8 CNN': {
    build: () => mnistCnn({ rng: createRng(8) }),
    optimizer: () => tf.train.sgd(0.05),
    loss: 'categoricalCrossentropy',
    data: () => {
      const rng = createRng(1);
      const x = tf.tensor4d(
        Float32Array.from({ length: 4 * 28 * 28 }, () => rng.next()),
        [4, 28, 28, 1],
      );
      const y = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: 4 }, () => rng.int(10)),
          'int32',
        ),
        10,
      );
      return [x, y];
    },
  },
  'Embedding + LSTM': {
    build: () => charLstm(13),
    optimizer: () => tf.train.adam(0.01),
    loss: 'sparseCategoricalCrossentropy',
    data: () => {
      const rng = createRng(2);
      const x = tf.tensor2d(
        Float32Array.from({ length: 8 * 10 }, () => rng.int(30)),
        [8, 10],
      );
      const y = tf.tensor3d(
        Float32Array.from({ length: 8 * 10 }, () => rng.int(30)),
        [8, 10, 1],
      );
      return [x, y];
    },
  },
};

/** 20 training steps on the same batch from the same weights; the losses. */
async function losses(backend: string, c: Case): Promise<number[]> {
  await useBackend(backend, { log: false });
  const model = c.build();
  model.compile({ optimizer: c.optimizer(), loss: c.loss });
  const [x, y] = c.data();
  const out: number[] = [];
  const started = performance.now();
  for (let step = 0; step < 20; step++) {
    out.push((await model.trainOnBatch(x, y)) as number);
    // A step can hold the thread for a second or more (CPU kernels, shader compiles): let the runner's messages through.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  console.log(`${backend}: 20 steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  model.optimizer.dispose();
  model.dispose();
  tf.dispose([x, y]);
  return out;
}

describe('training on the webgpu backend in Node', () => {
  for (const [name, c] of Object.entries(cases)) {
    it.skipIf(!adapter)(
      `${name}: 20 seeded steps give the CPU backend's losses (1e-3)`,
      { timeout: 300_000 },
      async () => {
        const cpu = await losses('cpu', c);
        const gpu = await losses('webgpu', c);
        const before = tf.memory().numTensors;
        expect(cpu.at(-1)).toBeLessThan(cpu[0] as number); // it learns
        gpu.forEach((loss, i) => {
          expect(Math.abs(loss - (cpu[i] as number)), `step ${i}: webgpu ${loss}, cpu ${cpu[i]}`).toBeLessThan(1e-3);
        });
        expect(tf.memory().numTensors).toBe(before);
        await useBackend('cpu', { log: false });
      },
    );
  }
});
