import type { Rng } from '@neurona/core';
import { InvalidInputError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PlaygroundPoints } from './playground/data.js';
import { featureMatrix, playgroundData, playgroundStreams } from './playground/data.js';
import { buildPlaygroundModel } from './playground/model.js';
import type { PlaygroundPreset } from './playground/presets.js';
import { playgroundPresets } from './playground/presets.js';
import type { Limits, Prepared, Recipe, RecipeInput, TrainingSettings } from './types.js';

/**
 * The Playground's data for a preset, drawn as the Playground page draws it (`playgroundData`, from
 * the run's seed), with a validation share of the training points for the curves.
 */
function preparePlayground(preset: PlaygroundPreset) {
  return (input: RecipeInput, settings: TrainingSettings, _rng: Rng, limits: Limits): Prepared => {
    if (input.kind !== 'generated')
      throw new InvalidInputError(
        preset.id,
        'input',
        `the Playground recipes draw their own data, not '${input.name}'`,
      );
    const playground = { ...preset.settings, seed: settings.seed };
    const count = limits.trainLimit
      ? Math.min(500, Math.ceil((limits.trainLimit * 100) / playground.percTrainData))
      : undefined;
    const { train, test } = playgroundData(playground, count ? { count } : {});
    const validationCount = Math.round(train.count * settings.validationFraction);
    const part = (p: PlaygroundPoints, from: number, to: number): [tf.Tensor, tf.Tensor] => [
      tf.tensor2d(featureMatrix(p.points.subarray(2 * from, 2 * to), playground.features), [
        to - from,
        playground.features.length,
      ]),
      tf.tensor2d(p.labels.subarray(from, to), [to - from, 1]),
    ];
    const trainEnd = train.count - validationCount;
    return {
      train: part(train, 0, trainEnd),
      ...(validationCount > 0 ? { validation: part(train, trainEnd, train.count) } : {}),
      test: part(test, 0, test.count),
      inputShape: [playground.features.length],
      outputs: 1,
      classNames: ['0', '1'],
      preprocessing: {
        data: playground.dataset,
        noise: playground.noise,
        points: train.count + test.count,
        features: playground.features,
      },
    };
  };
}

function playgroundRecipe(id: string, bookNote?: string): Recipe {
  const preset = playgroundPresets.find((p) => p.id === id) as PlaygroundPreset;
  const s = preset.settings;
  // The Playground's defaults: SGD at 0.03, batch size 10, 500 points, half of them for testing.
  const book: TrainingSettings = {
    epochs: preset.epochs,
    batchSize: s.batchSize,
    optimizer: 'sgd',
    learningRate: 0.03,
    validationFraction: 0.2,
    seed: s.seed,
  };
  const defaults = { ...book, optimizer: s.optimizer, learningRate: s.learningRate };
  return {
    id,
    chapter: 7,
    title: `Playground: ${preset.title.charAt(0).toLowerCase()}${preset.title.slice(1)}`,
    task: 'binary',
    // A few thousand weights: one WASM thread trains it fastest.
    wasmThreads: 1,
    data: 'toy2d',
    defaults,
    ...(bookNote ? { defaultsNote: bookNote } : {}),
    book,
    quick: { epochs: Math.max(5, Math.round(preset.epochs / 2)) },
    expected: { metric: 'accuracy', bar: preset.accuracyBar, note: preset.note },
    prepare: preparePlayground(preset),
    // The first weights the Playground page draws for the same seed.
    buildModel: ({ settings }) =>
      buildPlaygroundModel(s, playgroundStreams(settings.seed).model, id.replace(/-/g, '_')),
  };
}

const faster = (optimizer: string, rate: number) =>
  `The Playground's SGD at 0.03 is kept in the book's settings; the default uses ${optimizer} at ${rate} so the run ends in seconds.`;

/** Book ch. 7.4: one neuron separates the two Gaussian clouds. */
export const ch07OneNeuronRecipe = playgroundRecipe('ch07-one-neuron');

/** Book ch. 7.4: the circle needs a hidden layer. */
export const ch07HiddenLayerRecipe = playgroundRecipe('ch07-hidden-layer', faster('sgd', 0.1));

/** Book ch. 7.4: the spiral needs depth. */
export const ch07DeepRecipe = playgroundRecipe('ch07-deep', faster('adam', 0.01));
