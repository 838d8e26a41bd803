import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, TrainingInterruptedError, type TrainingState } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { stripesFolder } from '@neurona/tooling/fixtures';
import { vgg19 } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecipeInput } from '../src/index.js';
import {
  ch10DogsCatsRecipe,
  ch11AugmentationRecipe,
  ch11FeatureExtractionRecipe,
  ch11FineTuningRecipe,
  ch12CifarResnet50Recipe,
  ch12CifarVgg19Recipe,
  runRecipe,
} from '../src/index.js';
import { loadNsfwjsMobileNetV2, loadRecipeInput } from '../src/node.js';

let folder: string;
let small: RecipeInput;

beforeAll(async () => {
  await useBackend('wasm', { log: false });
  folder = await stripesFolder(await mkdtemp(join(tmpdir(), 'neurona-stripes-')), {
    train: 40,
    validation: 10,
    test: 15,
  });
  small = await loadRecipeInput('dogs-vs-cats', { path: folder, imageSize: [64, 64] });
});

/** CIFAR-shaped images whose class is the hue of a noisy blob. */
function cifarLike(count: number, seed: number) {
  const rng = createRng(seed);
  const make = (n: number) => {
    const images = new Uint8Array(n * 32 * 32 * 3);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const label = rng.int(10);
      labels[i] = label;
      for (let p = 0; p < 32 * 32; p++) {
        for (let c = 0; c < 3; c++) {
          const base = c === label % 3 ? 40 + label * 20 : 30;
          images[(i * 32 * 32 + p) * 3 + c] = Math.min(255, base + rng.int(30));
        }
      }
    }
    return { images, labels, count: n, height: 32, width: 32, channels: 3 };
  };
  const classNames = Array.from({ length: 10 }, (_, i) => `class ${i}`);
  return { kind: 'images', name: 'cifar10', data: { train: make(count), test: make(64), classNames } } as RecipeInput;
}

describe('ch10: Dogs vs Cats from a folder of JPEGs (train/validation/test)', () => {
  it('reads the three folders and the small CNN learns the stripes', async () => {
    expect(small.kind).toBe('images');
    if (small.kind !== 'images') return;
    expect(small.data.classNames).toEqual(['cats', 'dogs']);
    expect([small.data.train.count, small.data.validation?.count, small.data.test.count]).toEqual([80, 20, 30]);
    const before = tf.memory().numTensors;
    // The book's RMSprop 1e-4, in batches of 8 for 80 photos.
    const result = await runRecipe(ch10DogsCatsRecipe, small, { epochs: 8, batchSize: 8 });
    expect(result.history.history.loss?.at(-1)).toBeLessThan((result.history.history.loss?.[0] as number) * 0.75);
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.counts).toEqual({ train: 80, validation: 20, test: 30 });
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ch10–11 on more than two classes', () => {
  it("builds each image recipe's output from the data: one sigmoid unit for two classes, a softmax for more", async () => {
    const pretrained = await loadNsfwjsMobileNetV2();
    const settings = ch10DogsCatsRecipe.defaults;
    const head = (recipe: typeof ch10DogsCatsRecipe, outputs: number, inputShape = [64, 64, 3]) => {
      const model = recipe.buildModel({ rng: createRng(1), inputShape, outputs, settings, pretrained });
      const last = model.layers.at(-1) as tf.layers.Layer;
      const out = [model.outputs[0]?.shape.at(-1), (last.getConfig() as { activation: string }).activation];
      if (recipe !== ch11FineTuningRecipe) model.dispose();
      return out;
    };
    for (const recipe of [ch10DogsCatsRecipe, ch11AugmentationRecipe, ch11FineTuningRecipe]) {
      expect(head(recipe, 1)).toEqual([1, 'sigmoid']);
      expect(head(recipe, 3)).toEqual([3, 'softmax']);
    }
    expect(head(ch11FeatureExtractionRecipe, 3, [1, 1, 1280])).toEqual([3, 'softmax']);
    // Three classes of the stripes, as a 'multiclass' task: labels one-hot, a softmax of 3 learns.
    if (small.kind !== 'images') throw new Error('images expected');
    const third = { ...small.data.train, labels: small.data.train.labels.map((l, i) => (i % 5 === 0 ? 2 : l)) };
    const three: RecipeInput = {
      ...small,
      data: { ...small.data, train: third, classNames: ['cats', 'dogs', 'every fifth'] },
    };
    const result = await runRecipe({ ...ch10DogsCatsRecipe, task: 'multiclass' }, three, { epochs: 1, batchSize: 16 });
    expect(result.model.outputs[0]?.shape).toEqual([null, 3]);
    expect(Number.isFinite(result.test.loss)).toBe(true);
    result.dispose();
    pretrained.dispose();
  });
});

describe('ch11: augmentation', () => {
  it('trains on transformed batches: the same seed without augmentation gives another history', async () => {
    const settings = { epochs: 2, batchSize: 16 };
    const augmented = await runRecipe(ch11AugmentationRecipe, small, settings);
    const plain = await runRecipe({ ...ch11AugmentationRecipe, augment: undefined }, small, settings);
    expect(augmented.history.history.loss).not.toEqual(plain.history.history.loss);
    // The validation data is never augmented: the untrained-model figures agree before training diverges.
    expect(augmented.history.history.loss?.every(Number.isFinite)).toBe(true);
    augmented.dispose();
    plain.dispose();
  });
});

describe('ch11: transfer learning on a real pretrained base (nsfwjs MobileNetV2, 224×224)', () => {
  let big: RecipeInput;
  beforeAll(async () => {
    big = await loadRecipeInput('dogs-vs-cats', { path: folder, imageSize: [224, 224] });
  });

  it('feature extraction: runs the base once, trains the head, and frees the base with the result', async () => {
    const before = tf.memory().numTensors;
    const pretrained = await loadNsfwjsMobileNetV2();
    const result = await runRecipe(ch11FeatureExtractionRecipe, big, {}, { quick: true, pretrained });
    expect(result.model.inputs[0]?.shape).toEqual([null, 1, 1, 1280]);
    expect(result.timing.featureSeconds).toBeGreaterThan(0);
    expect(result.test.accuracy).toBeGreaterThanOrEqual(0.8);
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fine-tuning: the head trains on the frozen base, then only the last block changes', async () => {
    const pretrained = await loadNsfwjsMobileNetV2();
    const early = pretrained.getLayer('block_15_project').getWeights()[0]?.clone() as tf.Tensor;
    const last = pretrained.getLayer('block_16_project').getWeights()[0]?.clone() as tf.Tensor;
    const result = await runRecipe(
      ch11FineTuningRecipe,
      big,
      { epochs: 2 },
      { quick: true, pretrained, trainLimit: 24, testLimit: 10 },
    );
    expect(result.epochsRun).toBe(4);
    const loss = result.history.history.loss as number[];
    expect(loss[3]).toBeLessThan(loss[0] as number);
    const unchanged = result.model.getLayer('block_15_project').getWeights()[0] as tf.Tensor;
    const tuned = result.model.getLayer('block_16_project').getWeights()[0] as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(unchanged, early))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(tuned, last))).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([early, last]);
    result.dispose();
  });

  it('fine-tuning interrupted in its second phase resumes there and ends as the uninterrupted run', async () => {
    const options = { quick: true, trainLimit: 24, testLimit: 10 };
    const straight = await runRecipe(
      ch11FineTuningRecipe,
      big,
      { epochs: 2 },
      { ...options, pretrained: await loadNsfwjsMobileNetV2() },
    );
    const controller = new AbortController();
    let phases = 0;
    let saved: TrainingState | undefined;
    const stopInPhaseTwo = {
      onTrainBegin: () => {
        phases += 1;
      },
      onBatchEnd: (batch: number) => void (phases === 2 && batch === 1 && controller.abort()),
    };
    const error = await runRecipe(
      ch11FineTuningRecipe,
      big,
      { epochs: 2 },
      {
        ...options,
        pretrained: await loadNsfwjsMobileNetV2(),
        callbacks: [stopInPhaseTwo],
        signal: controller.signal,
        checkpoint: {
          save: async (state) => {
            if (saved) tf.dispose(saved.tensors.map((t) => t.tensor));
            saved = {
              ...structuredClone({ ...state, tensors: [] }),
              tensors: state.tensors.map((t) => ({ name: t.name, tensor: t.tensor.clone() })),
            };
          },
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingInterruptedError);
    const state = saved as TrainingState;
    expect(state.extra.phase).toBe('fineTune');
    expect([state.epoch, state.batch]).toEqual([0, 2]);
    const resumed = await runRecipe(
      ch11FineTuningRecipe,
      big,
      { epochs: 2 },
      { ...options, pretrained: await loadNsfwjsMobileNetV2(), resumeFrom: state, callbacks: [{}] },
    );
    tf.dispose(state.tensors.map((t) => t.tensor));
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.test).toEqual(straight.test);
    const tuned = (r: typeof straight) =>
      Array.from(r.model.getLayer('block_16_project').getWeights()[0]?.dataSync() ?? []);
    expect(tuned(resumed)).toEqual(tuned(straight));
    straight.dispose();
    resumed.dispose();
  });

  it('refuses images of another size than the base takes, and an unknown layer to fine-tune from, freeing the base', async () => {
    const before = tf.memory().numTensors;
    const unknown = await loadNsfwjsMobileNetV2();
    await expect(
      runRecipe(ch11FineTuningRecipe, big, {}, { quick: true, pretrained: unknown, fineTuneFrom: 'block5_conv1' }),
    ).rejects.toThrow(
      "ch11-fine-tuning: option 'fineTuneFrom' is 'block5_conv1'; allowed: a layer of the pretrained base; its last layers: ",
    );
    expect(tf.memory().numTensors).toBe(before);
    const pretrained = await loadNsfwjsMobileNetV2();
    await expect(runRecipe(ch11FeatureExtractionRecipe, small, {}, { quick: true, pretrained })).rejects.toThrow(
      'ch11-feature-extraction: the pretrained model model_1 takes 224×224×3 inputs but the data is 64×64×3',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ch12: named networks on CIFAR-10-shaped data', () => {
  it('ResNet50 (10 classes, 32×32) trains a step at a time without leaking', async () => {
    const before = tf.memory().numTensors;
    const result = await runRecipe(ch12CifarResnet50Recipe, cifarLike(64, 1), { epochs: 1 }, { quick: true });
    expect(result.model.countParams()).toBe(23608202);
    expect(Number.isFinite(result.history.history.loss?.[0])).toBe(true);
    expect(result.counts).toEqual({ train: 58, validation: 6, test: 64 });
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('VGG19 with a pretrained base: the weights are copied and stay frozen; another architecture is refused', async () => {
    const pretrained = vgg19({ includeTop: false, inputShape: [32, 32, 3] });
    const given = pretrained.getLayer('block1_conv1').getWeights()[0]?.clone() as tf.Tensor;
    const result = await runRecipe(ch12CifarVgg19Recipe, cifarLike(32, 2), { epochs: 1 }, { pretrained });
    const after = result.model.getLayer('block1_conv1').getWeights()[0] as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(after, given))).dataSync()[0]).toBe(0);
    given.dispose();
    result.dispose();

    const before = tf.memory().numTensors;
    const other = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 4, kernelSize: 3, name: 'block1_conv1' })],
    });
    await expect(
      runRecipe(ch12CifarVgg19Recipe, cifarLike(8, 3), { epochs: 1 }, { pretrained: other }),
    ).rejects.toThrow(/does not fit|do not fit/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
