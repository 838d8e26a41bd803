import type { Rng } from '@neurona/core';
import { InvalidOptionError } from '@neurona/core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The activations a dense layer of `denseClassifier` takes (Keras's names). */
export const denseActivations = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear', 'elu', 'selu', 'softplus'] as const;
/** One of `denseActivations`. */
export type DenseActivation = (typeof denseActivations)[number];

/** Keras's kernel initialisers by their Keras names (book ch. 7: initialisers), seeded. */
export type DenseInitializer =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'leCunUniform'
  | 'leCunNormal'
  | 'randomNormal'
  | 'randomUniform'
  | 'zeros';

// Typed by name (not inferred): an inferred type would put tfjs-layers' internal file paths into
// the published declarations, which users cannot resolve.
const initializers: Record<DenseInitializer, (seed: number) => ReturnType<typeof tfl.initializers.zeros>> = {
  glorotUniform: (seed: number) => tfl.initializers.glorotUniform({ seed }),
  glorotNormal: (seed: number) => tfl.initializers.glorotNormal({ seed }),
  heUniform: (seed: number) => tfl.initializers.heUniform({ seed }),
  heNormal: (seed: number) => tfl.initializers.heNormal({ seed }),
  leCunUniform: (seed: number) => tfl.initializers.leCunUniform({ seed }),
  leCunNormal: (seed: number) => tfl.initializers.leCunNormal({ seed }),
  randomNormal: (seed: number) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.05, seed }),
  randomUniform: (seed: number) => tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  zeros: () => tfl.initializers.zeros(),
};

/** One hidden layer of `denseClassifier`: its units and activation. */
export interface DenseLayerSpec {
  units: number;
  activation: DenseActivation;
  /** Default `'glorotUniform'`, Keras's default. */
  initializer?: DenseInitializer;
}

/** Options of `denseClassifier`: input shape, hidden layers, classes, initialiser and seed source. */
export interface DenseClassifierOptions {
  /** Shape of one example; more than one dimension adds a Flatten first. */
  inputShape: readonly number[];
  /** Hidden layers, in order. */
  hidden: readonly DenseLayerSpec[];
  numClasses: number;
  /** Default `'softmax'`. */
  outputActivation?: DenseActivation;
  /** Seeds the Glorot-uniform kernel initialisers (Keras's default initialiser). */
  rng: Rng;
  name?: string;
  /**
   * A weight penalty on every layer's kernel (not the biases), as Keras's
   * `kernel_regularizer=L1L2(l1, l2)`: `l1 · Σ|w| + l2 · Σw²` is added to the loss by `fit`.
   * Default: none.
   */
  kernelRegularizer?: { l1?: number; l2?: number };
}

function checkUnits(where: string, units: number) {
  if (!Number.isInteger(units) || units < 1) {
    throw new InvalidOptionError(where, 'units', units, 'an integer >= 1');
  }
}

function checkInitializer(where: string, name: string) {
  if (!Object.hasOwn(initializers, name)) {
    throw new InvalidOptionError(where, 'initializer', name, Object.keys(initializers).join(', '));
  }
}

function checkActivation(where: string, activation: string) {
  if (!(denseActivations as readonly string[]).includes(activation)) {
    throw new InvalidOptionError(where, 'activation', activation, denseActivations.join(', '));
  }
}

/**
 * A fully connected classifier (book ch. 4–5): an optional Flatten, the hidden Dense
 * layers, and a Dense output layer. Layers are named as Keras names them (`flatten`,
 * `dense`, `dense_1`, …). The caller owns the model (`model.dispose()`).
 */
export function denseClassifier(options: DenseClassifierOptions): tfl.Sequential {
  const { inputShape, hidden, numClasses, outputActivation = 'softmax', rng, name = 'sequential' } = options;
  const penalty = options.kernelRegularizer;
  for (const key of ['l1', 'l2'] as const) {
    const rate = penalty?.[key];
    if (rate !== undefined && !(rate >= 0 && Number.isFinite(rate)))
      throw new InvalidOptionError('denseClassifier', `kernelRegularizer.${key}`, rate, 'a number >= 0');
  }
  const regularizer =
    penalty && (penalty.l1 || penalty.l2)
      ? tfl.regularizers.l1l2({ l1: penalty.l1 ?? 0, l2: penalty.l2 ?? 0 })
      : undefined;
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new InvalidOptionError('denseClassifier', 'inputShape', inputShape, 'a list of positive integers');
  }
  checkUnits('denseClassifier: numClasses', numClasses);
  checkActivation('denseClassifier: outputActivation', outputActivation);
  hidden.forEach((layer, i) => {
    checkUnits(`denseClassifier: hidden[${i}]`, layer.units);
    checkActivation(`denseClassifier: hidden[${i}]`, layer.activation);
    checkInitializer(`denseClassifier: hidden[${i}]`, layer.initializer ?? 'glorotUniform');
  });
  const model = tfl.sequential({ name });
  const flat = inputShape.length > 1;
  if (flat) model.add(tfl.layers.flatten({ inputShape: [...inputShape], name: 'flatten' }));
  const specs: DenseLayerSpec[] = [...hidden, { units: numClasses, activation: outputActivation }];
  specs.forEach((spec, i) => {
    model.add(
      tfl.layers.dense({
        units: spec.units,
        activation: spec.activation,
        kernelInitializer: initializers[spec.initializer ?? 'glorotUniform'](rng.nextSeed()),
        name: i === 0 ? 'dense' : `dense_${i}`,
        ...(regularizer ? { kernelRegularizer: regularizer } : {}),
        ...(i === 0 && !flat ? { inputShape: [...inputShape] } : {}),
      }),
    );
  });
  return model;
}

/**
 * The book's chapter-5 network: Flatten → Dense(10, sigmoid) → Dense(10, softmax),
 * 7,960 parameters, for 28×28 images.
 */
export function ch05Dense(options: { rng: Rng }): tfl.Sequential {
  return denseClassifier({
    inputShape: [28, 28, 1],
    hidden: [{ units: 10, activation: 'sigmoid' }],
    numClasses: 10,
    rng: options.rng,
  });
}
