import type { Toy2dName } from '@neurona/datasets';

/**
 * The TensorFlow Playground's controls (book ch. 7.4 and appendix C) as one plain object: what a
 * page keeps in its URL and a model exported from the page carries in its `model.json`, so the
 * same experiment can be drawn again — data, network and training — from it alone.
 */
export interface PlaygroundSettings {
  /** Classification (two classes, 0 and 1) or regression (a value in [−1, 1]). */
  problem: PlaygroundProblem;
  /** A classification set (circle, xor, gauss, spiral) or a regression one (plane, multi-gauss). */
  dataset: Toy2dName;
  /** Noise in percent, 0 to 50, as the Playground's slider. */
  noise: number;
  /** The share of the points trained on, in percent (10 to 90); the rest are the test points. */
  percTrainData: number;
  /** Points per gradient step, 1 to 30. */
  batchSize: number;
  /** The input features the network sees, computed from each point's (x₁, x₂). At least one. */
  features: PlaygroundFeature[];
  /** Neurons of each hidden layer: at most 6 layers of 1 to 8 neurons; `[]` is one output neuron alone. */
  networkShape: number[];
  /** The hidden layers' activation; the output is a sigmoid (classification) or linear (regression). */
  activation: PlaygroundActivation;
  learningRate: number;
  /** The Playground trains with plain SGD; Adam is here for the book's deep spiral network. */
  optimizer: PlaygroundOptimizer;
  /** A penalty on the kernels, as Keras's `kernel_regularizer`: `l1` (Σ|w|) or `l2` (Σw²), times the rate. */
  regularization: PlaygroundRegularization;
  regularizationRate: number;
  /** Draws the points, the first weights and each epoch's batch order: the same seed, the same run. */
  seed: number;
}

/** The Playground's two kinds of problem. */
export type PlaygroundProblem = 'classification' | 'regression';
/** An input feature of the Playground: a function of the point's coordinates x₁ and x₂. */
export type PlaygroundFeature = 'x1' | 'x2' | 'x1Squared' | 'x2Squared' | 'x1TimesX2' | 'sinX1' | 'sinX2';
/** The Playground's activations (Keras names). */
export type PlaygroundActivation = 'tanh' | 'relu' | 'sigmoid' | 'linear';
/** The optimisers the Playground page offers. */
export type PlaygroundOptimizer = 'sgd' | 'adam';
/** The weight penalties the Playground offers. */
export type PlaygroundRegularization = 'none' | 'l1' | 'l2';

/** Every feature with its label and formula, in the Playground's order. */
export const playgroundFeatures: readonly {
  name: PlaygroundFeature;
  /** As the Playground writes it: `x₁`, `x₁²`, `sin(x₁)`. */
  label: string;
  of(x1: number, x2: number): number;
}[] = [
  { name: 'x1', label: 'x₁', of: (x1) => x1 },
  { name: 'x2', label: 'x₂', of: (_, x2) => x2 },
  { name: 'x1Squared', label: 'x₁²', of: (x1) => x1 * x1 },
  { name: 'x2Squared', label: 'x₂²', of: (_, x2) => x2 * x2 },
  { name: 'x1TimesX2', label: 'x₁x₂', of: (x1, x2) => x1 * x2 },
  { name: 'sinX1', label: 'sin(x₁)', of: (x1) => Math.sin(x1) },
  { name: 'sinX2', label: 'sin(x₂)', of: (_, x2) => Math.sin(x2) },
];

/** The choices and ranges of every control, as the Playground offers them. */
export const playgroundChoices = {
  problem: ['classification', 'regression'] as const,
  classificationSets: ['circle', 'xor', 'gauss', 'spiral'] as const satisfies readonly Toy2dName[],
  regressionSets: ['plane', 'multi-gauss'] as const satisfies readonly Toy2dName[],
  activation: ['tanh', 'relu', 'sigmoid', 'linear'] as const,
  optimizer: ['sgd', 'adam'] as const,
  regularization: ['none', 'l1', 'l2'] as const,
  learningRate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const,
  regularizationRate: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const,
  noise: { min: 0, max: 50, step: 5 },
  percTrainData: { min: 10, max: 90, step: 10 },
  batchSize: { min: 1, max: 30, step: 1 },
  layers: { max: 6 },
  neurons: { min: 1, max: 8 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

/** Points drawn per data set, as the Playground: 500 to classify, 1,200 to regress. */
export function playgroundPointCount(problem: PlaygroundProblem): number {
  return problem === 'classification' ? 500 : 1200;
}

/** The Playground's opening state: the circle, x₁ and x₂, two hidden layers of 4 and 2 tanh neurons. */
export const playgroundDefaults: PlaygroundSettings = {
  problem: 'classification',
  dataset: 'circle',
  noise: 0,
  percTrainData: 50,
  batchSize: 10,
  features: ['x1', 'x2'],
  networkShape: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  optimizer: 'sgd',
  regularization: 'none',
  regularizationRate: 0,
  seed: 1,
};

/** Whether a data set is one of the regression sets. */
export function isRegressionSet(dataset: Toy2dName): boolean {
  return (playgroundChoices.regressionSets as readonly string[]).includes(dataset);
}

/** What `checkPlaygroundSettings` made of its input: valid settings, and a line for each value it changed. */
export interface CheckedPlaygroundSettings {
  settings: PlaygroundSettings;
  /** One sentence per value changed, naming it, what it became and what is allowed; empty when none was. */
  changes: string[];
}

const nearestOf = (choices: readonly number[], value: number) =>
  choices.reduce((best, c) =>
    // Rates are chosen on a log scale: compare ratios, not differences (0 only matches 0).
    Math.abs(Math.log((c || 1e-9) / (value || 1e-9))) < Math.abs(Math.log((best || 1e-9) / (value || 1e-9))) ? c : best,
  );

/**
 * Makes settings from anything (a URL's values, a model file's metadata, a partial object): every
 * missing value takes the default, and every value out of range or unknown becomes the nearest
 * valid one (a number clamped into its range, a rate the nearest offered one, an unknown name the
 * default), with a sentence saying so. Never throws: a page shows the changes and goes on.
 *
 * @example
 * ```ts
 * const { settings, changes } = checkPlaygroundSettings({ noise: 500, networkShape: [9, 9, 9, 9, 9, 9, 9] });
 * // settings.noise === 50, settings.networkShape = [8, 8, 8, 8, 8, 8];
 * // changes: ["noise 500 is out of range; using 50 (allowed: 0 to 50)", …]
 * ```
 */
export function checkPlaygroundSettings(input: Readonly<Record<string, unknown>>): CheckedPlaygroundSettings {
  const changes: string[] = [];
  const d = playgroundDefaults;
  const c = playgroundChoices;
  const given = (key: keyof PlaygroundSettings) => input[key] !== undefined;
  const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

  const oneOf = <T extends string>(key: keyof PlaygroundSettings, allowed: readonly T[], fallback: T): T => {
    const v = input[key];
    if (!given(key)) return fallback;
    if ((allowed as readonly unknown[]).includes(v)) return v as T;
    changes.push(`${key} ${show(v)} is unknown; using '${fallback}' (allowed: ${allowed.join(', ')})`);
    return fallback;
  };
  const integer = (key: keyof PlaygroundSettings, range: { min: number; max: number }, fallback: number) => {
    if (!given(key)) return fallback;
    const v = Number(input[key]);
    if (typeof input[key] === 'boolean' || !Number.isFinite(v)) {
      changes.push(
        `${key} ${show(input[key])} is not a number; using ${fallback} (allowed: ${range.min} to ${range.max})`,
      );
      return fallback;
    }
    const n = Math.min(range.max, Math.max(range.min, Math.round(v)));
    if (n !== v)
      changes.push(
        `${key} ${show(input[key])} is ${v < range.min || v > range.max ? 'out of range' : 'not a whole number'}; using ${n} (allowed: ${range.min} to ${range.max})`,
      );
    return n;
  };
  const rate = (key: keyof PlaygroundSettings, allowed: readonly number[], fallback: number) => {
    if (!given(key)) return fallback;
    const v = Number(input[key]);
    if (!Number.isFinite(v) || v < 0) {
      changes.push(`${key} ${show(input[key])} is not a rate; using ${fallback} (allowed: ${allowed.join(', ')})`);
      return fallback;
    }
    const n = nearestOf(allowed, v);
    if (n !== v) changes.push(`${key} ${show(input[key])} is not offered; using ${n} (allowed: ${allowed.join(', ')})`);
    return n;
  };

  const allSets = [...c.classificationSets, ...c.regressionSets];
  const dataset = oneOf<Toy2dName>('dataset', allSets, d.dataset);
  let problem = oneOf<PlaygroundProblem>('problem', c.problem, isRegressionSet(dataset) ? 'regression' : d.problem);
  if (isRegressionSet(dataset) !== (problem === 'regression')) {
    const fits = isRegressionSet(dataset) ? 'regression' : 'classification';
    changes.push(`problem '${problem}' does not fit the ${dataset} data set; using '${fits}'`);
    problem = fits;
  }

  let features = d.features;
  if (given('features')) {
    const raw = input.features;
    const names = (Array.isArray(raw) ? raw : String(raw).split(',')).map(String).filter((s) => s !== '');
    const known = playgroundFeatures.map((f) => f.name as string);
    const unknown = names.filter((n) => !known.includes(n));
    const kept = known.filter((k) => names.includes(k)) as PlaygroundFeature[];
    if (unknown.length > 0)
      changes.push(`features ${unknown.map((u) => `'${u}'`).join(', ')} unknown; dropped (known: ${known.join(', ')})`);
    if (kept.length === 0) changes.push(`no known feature chosen; using ${d.features.join(', ')}`);
    else features = kept;
  }

  let networkShape = d.networkShape;
  if (given('networkShape')) {
    const raw = input.networkShape;
    const parts = Array.isArray(raw) ? raw : String(raw) === '' ? [] : String(raw).split(',');
    const layers = parts.map(Number);
    let shape = layers.map((n) =>
      Number.isFinite(n) ? Math.min(c.neurons.max, Math.max(c.neurons.min, Math.round(n))) : c.neurons.min,
    );
    if (shape.length > c.layers.max) shape = shape.slice(0, c.layers.max);
    if (shape.length !== layers.length || shape.some((n, i) => n !== layers[i]))
      changes.push(
        `networkShape ${show(raw)} is out of range; using [${shape.join(', ')}] (allowed: up to ${c.layers.max} hidden layers of ${c.neurons.min} to ${c.neurons.max} neurons)`,
      );
    networkShape = shape;
  }

  const settings: PlaygroundSettings = {
    problem,
    dataset,
    noise: integer('noise', c.noise, d.noise),
    percTrainData: integer('percTrainData', c.percTrainData, d.percTrainData),
    batchSize: integer('batchSize', c.batchSize, d.batchSize),
    features,
    networkShape,
    activation: oneOf('activation', c.activation, d.activation),
    learningRate: rate('learningRate', c.learningRate, d.learningRate),
    optimizer: oneOf('optimizer', c.optimizer, d.optimizer),
    regularization: oneOf('regularization', c.regularization, d.regularization),
    regularizationRate: rate('regularizationRate', c.regularizationRate, d.regularizationRate),
    seed: integer('seed', c.seed, d.seed),
  };
  return { settings, changes };
}
