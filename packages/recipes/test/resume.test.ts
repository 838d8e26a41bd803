import { TrainingInterruptedError, type TrainingState } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Recipe, RecipeInput, RunOptions } from '../src/index.js';
import { ch08FashionBnDropoutRecipe, ch09AutoMpgRecipe, runRecipe } from '../src/index.js';
import { loadRecipeInput } from '../src/node.js';

let sample: RecipeInput;
let cars: RecipeInput;

beforeAll(async () => {
  await useBackend('wasm', { log: false });
  sample = { kind: 'images', name: 'fashion-mnist-sample', data: await loadFashionMnistSample() };
  cars = await loadRecipeInput('auto-mpg');
});

/** A copy of a state that outlives `save` (whose tensors are freed after it returns), as a file would. */
const keep = (s: TrainingState): TrainingState => ({
  ...structuredClone({ ...s, tensors: [] }),
  tensors: s.tensors.map((t) => ({ name: t.name, tensor: t.tensor.clone() })),
});

/**
 * Trains straight, then again interrupted after `after` batches and resumed from the checkpoint of
 * that moment: both must end with the same weights and history.
 */
async function interruptAndResume(
  recipe: Recipe,
  input: RecipeInput,
  after: number,
  epochs: number,
  options: RunOptions,
  check: (state: TrainingState) => void = () => {},
) {
  const before = tf.memory().numTensors;
  const straight = await runRecipe(recipe, input, { epochs }, options);
  const controller = new AbortController();
  let batches = 0;
  let saved: TrainingState | undefined;
  const error = await runRecipe(
    recipe,
    input,
    { epochs },
    {
      ...options,
      signal: controller.signal,
      callbacks: [{ onBatchEnd: () => void (++batches === after && controller.abort()) }],
      checkpoint: {
        save: async (s) => {
          // Each checkpoint replaces the last, as on disk.
          if (saved) tf.dispose(saved.tensors.map((t) => t.tensor));
          saved = keep(s);
        },
      },
    },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TrainingInterruptedError);
  const state = saved as TrainingState;
  expect(state.step).toBe(after);
  check(state);
  const resumed = await runRecipe(recipe, input, { epochs }, { ...options, resumeFrom: state, callbacks: [{}] });
  tf.dispose(state.tensors.map((t) => t.tensor));
  expect(resumed.history).toEqual(straight.history);
  expect(resumed.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
    straight.model.getWeights().map((w) => Array.from(w.dataSync())),
  );
  expect(resumed.test).toEqual(straight.test);
  straight.dispose();
  resumed.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

describe('runRecipe: interrupted and resumed equals uninterrupted', () => {
  it('the BatchNorm + seeded Dropout CNN with Adam, stopped mid-epoch', async () => {
    await interruptAndResume(ch08FashionBnDropoutRecipe, sample, 4, 2, {
      quick: true,
      trainLimit: 300,
      testLimit: 100,
    });
  });

  it('Auto MPG with early stopping (patience count and best weights carried)', async () => {
    await interruptAndResume(ch09AutoMpgRecipe, cars, 40, 60, { quick: true }, (state) => {
      // The checkpoint carries the fitted scaler and encoder: an interrupted run can predict.
      expect(state.extra.preprocessing).toMatchObject({ target: 'mpg', scaler: { kind: 'StandardScaler' } });
    });
  });
});
