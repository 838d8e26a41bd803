import { InvalidOptionError, UnknownNameError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTextRecipe, runTextRecipe, textRecipes, textSettingsFor } from '../src/index.js';
import { loadRecipeText } from '../src/node.js';

beforeAll(async () => {
  await useBackend('wasm', { log: false });
});

describe('the chapter-13 recipes', () => {
  it("run --quick on Moby Dick, offline: the loss falls and the run says where it stands against the recipe's bar", async () => {
    const recipe = getTextRecipe('ch13-moby-dick');
    const { text, source } = await loadRecipeText(recipe, { download: false });
    expect(source).toBe('moby-dick');
    expect(text.length).toBeGreaterThan(1_000_000);
    const before = tf.memory().numTensors;
    const result = await runTextRecipe(recipe, text, {}, { quick: true });
    try {
      expect(result.characters).toBe(100_000);
      expect(result.shape).toMatchObject({ units: 128, embeddingDim: 32, cell: 'gru' });
      expect(result.settings).toMatchObject({ epochs: 2, sequenceLength: 100, batchSize: 64, learningRate: 0.01 });
      // Even --quick learns: below the unigram entropy, not only below the untrained model.
      expect(result.score.validationLoss).toBeLessThan(result.baselines.unigramEntropy);
      expect(result.score.validationLoss).toBeLessThan(result.baselines.untrainedModel);
      expect(result.score.bar).toBeCloseTo(0.6 * result.baselines.unigramEntropy, 10);
      expect(typeof result.score.passed).toBe('boolean');
    } finally {
      result.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('settings: the book, the defaults and overrides, each bad value named', () => {
    const recipe = getTextRecipe('ch13-shakespeare');
    expect(textSettingsFor(recipe, {}, { book: true })).toMatchObject({ units: 1024, embeddingDim: 256, cell: 'gru' });
    expect(textSettingsFor(recipe, { cell: 'lstm', units: 512, layers: 2 })).toMatchObject({
      cell: 'lstm',
      units: 512,
      layers: 2,
      epochs: 3,
    });
    const bad: [object, string][] = [
      [{ cell: 'rnn' }, "ch13-shakespeare: option 'cell' is 'rnn'; allowed: gru, lstm"],
      [{ units: 0 }, "option 'units' is 0; allowed: an integer from 1 to 8192"],
      [{ sequenceLength: 0 }, "option 'sequenceLength' is 0; allowed: an integer from 1 to 100,000"],
      [{ dropout: 1 }, "option 'dropout' is 1; allowed: a number in [0, 1)"],
      [{ learningRate: 0 }, "option 'learningRate' is 0; allowed: a number in (0, 10]"],
    ];
    for (const [overrides, message] of bad) {
      const error = (() => {
        try {
          textSettingsFor(recipe, overrides);
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    expect(() => getTextRecipe('ch13-hamlet')).toThrow(
      `'ch13-hamlet' is not a known text recipe; known: ${textRecipes.map((r) => r.id).join(', ')}`,
    );
    expect(
      UnknownNameError.isInstance(
        (() => {
          try {
            getTextRecipe('x');
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(true);
  });
});
