import type { Rng } from '@neurona/core';
import { DataFormatError } from '@neurona/core';
import { denseClassifier } from '@neurona/zoo';
import type * as tfl from '@tensorflow/tfjs-layers';
import { playgroundPresets } from './presets.js';
import type {
  CheckedPlaygroundSettings,
  PlaygroundActivation,
  PlaygroundFeature,
  PlaygroundProblem,
  PlaygroundSettings,
} from './settings.js';
import { checkPlaygroundSettings, playgroundChoices, playgroundFeatures } from './settings.js';

/**
 * The network the settings describe, as Keras would build it: the chosen features in, one Dense
 * layer per hidden layer with the chosen activation, and one output neuron — a sigmoid to
 * classify (binary cross-entropy), linear to regress (mean squared error); the penalty, if any,
 * on every kernel. Weights drawn from `rng`. The caller owns the model.
 */
export function buildPlaygroundModel(settings: PlaygroundSettings, rng: Rng, name = 'playground'): tfl.Sequential {
  const rate = settings.regularization === 'none' ? 0 : settings.regularizationRate;
  return denseClassifier({
    inputShape: [settings.features.length],
    hidden: settings.networkShape.map((units) => ({ units, activation: settings.activation })),
    numClasses: 1,
    outputActivation: settings.problem === 'classification' ? 'sigmoid' : 'linear',
    rng,
    name,
    ...(rate > 0 ? { kernelRegularizer: { [settings.regularization]: rate } } : {}),
  });
}

/** The shape of a Playground network, read from a model. */
export interface PlaygroundNetwork {
  /** How many features it takes in. */
  inputs: number;
  networkShape: number[];
  activation: PlaygroundActivation;
  /** Classification for a sigmoid output, regression for a linear one. */
  problem: PlaygroundProblem;
}

/**
 * Reads the Playground network a model is — Dense layers only, at most 6 hidden layers of at most 8
 * neurons with one of the Playground's activations, one output neuron (sigmoid or linear) — or
 * throws a `DataFormatError` naming `file` and saying what was expected and what the model has.
 */
export function playgroundNetworkOf(model: tfl.LayersModel, file = 'model.json'): PlaygroundNetwork {
  const refuse = (detail: string): never => {
    throw new DataFormatError(
      file,
      `${detail}; the Playground draws Dense networks of 1 to 7 inputs, up to 6 hidden layers of up to 8 neurons (tanh, relu, sigmoid or linear) and one output neuron`,
    );
  };
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const other = layers.find((l) => l.getClassName() !== 'Dense');
  if (other) refuse(`layer '${other.name}' is a ${other.getClassName()}`);
  if (layers.length === 0) refuse('the model has no layers');
  const inputs = model.inputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || inputs.length !== 2 || !(Number(inputs[1]) >= 1 && Number(inputs[1]) <= 7))
    refuse(`its input is [${inputs.map((d) => d ?? 'batch').join(', ')}], not [batch, 1…7]`);
  const config = (layer: tfl.layers.Layer) => layer.getConfig() as { units: number; activation: string };
  const output = config(layers.at(-1) as tfl.layers.Layer);
  if (output.units !== 1) refuse(`its output layer has ${output.units} neurons, not 1`);
  if (output.activation !== 'sigmoid' && output.activation !== 'linear')
    refuse(`its output activation is '${output.activation}', not sigmoid (classification) or linear (regression)`);
  const hidden = layers.slice(0, -1).map(config);
  if (hidden.length > playgroundChoices.layers.max) refuse(`it has ${hidden.length} hidden layers`);
  const wide = hidden.find((h) => h.units > playgroundChoices.neurons.max);
  if (wide) refuse(`a hidden layer has ${wide.units} neurons`);
  const activations = [...new Set(hidden.map((h) => h.activation))];
  if (activations.length > 1) refuse(`its hidden layers mix activations (${activations.join(', ')})`);
  const activation = (activations[0] ?? 'tanh') as PlaygroundActivation;
  if (!(playgroundChoices.activation as readonly string[]).includes(activation))
    refuse(`its hidden activation is '${activation}'`);
  return {
    inputs: Number(inputs[1]),
    networkShape: hidden.map((h) => h.units),
    activation,
    problem: output.activation === 'sigmoid' ? 'classification' : 'regression',
  };
}

/** What a model made in the Playground page carries in its `model.json` (`userDefinedMetadata`). */
export interface PlaygroundModelMetadata {
  neurona: { playground: PlaygroundSettings; epoch: number };
}

/**
 * Writes the settings and the epoch into the model's `userDefinedMetadata`, which `model.save`
 * puts in `model.json`: the file then says how to draw its data again (`neurona evaluate` does).
 */
export function setPlaygroundMetadata(model: tfl.LayersModel, settings: PlaygroundSettings, epoch: number): void {
  const metadata: PlaygroundModelMetadata = { neurona: { playground: settings, epoch } };
  model.setUserDefinedMetadata(metadata as unknown as Record<string, never>);
}

/** The settings and epoch a Playground model file carries, checked; undefined when it carries none. */
export function readPlaygroundMetadata(metadata: unknown): (CheckedPlaygroundSettings & { epoch: number }) | undefined {
  const found = (metadata as Partial<PlaygroundModelMetadata> | undefined)?.neurona;
  if (typeof found?.playground !== 'object' || found.playground === null) return undefined;
  const epoch = Number.isSafeInteger(found.epoch) && found.epoch >= 0 ? found.epoch : 0;
  return { ...checkPlaygroundSettings(found.playground as unknown as Record<string, unknown>), epoch };
}

/** Where an imported model's settings come from, besides the model itself. */
export interface ImportContext {
  /** The settings the page has now: used for what the model does not say. */
  current: PlaygroundSettings;
  /** The model's `userDefinedMetadata` (a model the page exported carries its settings there). */
  metadata?: unknown;
  /** The recipe of a `neurona train` run (its `summary.json`), for the data set and training settings. */
  recipe?: string;
  /** The model file's name, for messages. */
  file?: string;
}

/**
 * The settings that show an imported model: those it carries (a page export), else the preset of the
 * recipe that trained it (a `neurona train ch07-*` run), else the page's own; then the network as the
 * model has it. The features must match its inputs: kept when their count matches, x₁ and x₂ for two
 * inputs; otherwise a `DataFormatError` naming what was expected. `changes` says what was adapted.
 */
export function settingsForModel(
  model: tfl.LayersModel,
  context: ImportContext,
): CheckedPlaygroundSettings & { epoch: number } {
  const file = context.file ?? 'model.json';
  const network = playgroundNetworkOf(model, file);
  const carried = readPlaygroundMetadata(context.metadata);
  const preset = playgroundPresets.find((p) => p.id === context.recipe);
  const changes = [...(carried?.changes ?? [])];
  let settings: PlaygroundSettings = carried?.settings ?? preset?.settings ?? context.current;
  let features: PlaygroundFeature[] = settings.features;
  if (features.length !== network.inputs) {
    if (network.inputs !== 2) {
      const labels = features.map((f) => playgroundFeatures.find((x) => x.name === f)?.label).join(', ');
      throw new DataFormatError(
        file,
        `the model takes ${network.inputs} inputs, but the chosen features are ${features.length} (${labels}): choose ${network.inputs} features, or load a model made for these`,
      );
    }
    features = ['x1', 'x2'];
    changes.push('features: x₁ and x₂, the two inputs of the model');
  }
  if ((settings.problem === 'regression') !== (network.problem === 'regression')) {
    const dataset =
      network.problem === 'regression' ? playgroundChoices.regressionSets[0] : playgroundChoices.classificationSets[0];
    changes.push(`problem: ${network.problem}, as the model's output says; data set ${dataset}`);
    settings = { ...settings, problem: network.problem, dataset };
  }
  return {
    settings: { ...settings, features, networkShape: network.networkShape, activation: network.activation },
    changes,
    epoch: carried?.epoch ?? 0,
  };
}
