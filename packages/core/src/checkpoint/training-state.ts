import { InvalidInputError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { HistoryRecord } from '../callbacks/history.js';
import type { TrainingCallback } from '../callbacks/types.js';
import type { RngState } from '../random.js';

/** A tensor with its name in a checkpoint. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * Everything a training run needs to go on exactly where it stopped: the weights, the
 * optimizer's slots (Adam's moments, the step count), the position in the epoch, the random
 * stream, the history so far and the state of callbacks and layers that keep any. A run
 * resumed from it ends with the same weights and history as one that never stopped (same
 * seed, same backend). Tensors are named `model/i`, `optimizer/i`, `callbacks/k/i`.
 */
export interface TrainingState {
  format: 'neurona-training-state';
  version: 1;
  /** The epoch (0-based) training goes on with. */
  epoch: number;
  /** The batch of that epoch it goes on with: 0 at an epoch boundary, more after an interrupt. */
  batch: number;
  /** Optimizer steps taken (Keras's `iterations`). */
  step: number;
  /** True when a callback (early stopping) had ended training: a resume trains no more. */
  stopped: boolean;
  /** The random stream now, and where it stood when `epoch` began (its shuffle is drawn again from that). */
  rng: RngState;
  epochRng: RngState;
  /** The running sums of the interrupted epoch's figures, and the rows they cover. */
  sums: number[];
  seen: number;
  history: HistoryRecord;
  /** JSON state of callbacks that keep one, by their position in the callback list. */
  callbacks: Record<string, unknown>;
  /** State of layers that keep one (seeded Dropout's call count), by their position in the model. */
  layers: Record<string, number[]>;
  /** Whatever the caller keeps with the run (a recipe's phase, the vocabulary): JSON. */
  extra: Record<string, unknown>;
  /** Owned by whoever holds the state: free them with `disposeTrainingState`. */
  tensors: NamedTensor[];
}

/** A callback's checkpointed state: JSON, and tensors it lends for the save. */
export interface CallbackState {
  json?: unknown;
  tensors?: tf.Tensor[];
}

/**
 * A callback that keeps state across epochs (early stopping's patience count and best
 * weights) implements these two so a checkpoint carries it. `restoreState` runs after
 * `onTrainBegin`, and takes copies of the tensors it is given.
 */
export interface StatefulCallback extends TrainingCallback {
  saveState(): CallbackState;
  restoreState(state: CallbackState): void;
}

/** A layer whose forward pass keeps state (seeded Dropout's call count): checkpoints carry it. */
export interface StatefulLayer {
  getTrainingState(): number[];
  setTrainingState(state: number[]): void;
}

const isStatefulCallback = (cb: TrainingCallback): cb is StatefulCallback =>
  typeof (cb as Partial<StatefulCallback>).saveState === 'function' &&
  typeof (cb as Partial<StatefulCallback>).restoreState === 'function';

const isStatefulLayer = (layer: unknown): layer is StatefulLayer =>
  typeof (layer as Partial<StatefulLayer>).getTrainingState === 'function';

/** Every layer of a model with its position path ("3", "3.12" inside a nested model). */
function walkLayers(model: tfl.LayersModel, prefix = ''): [string, tfl.layers.Layer][] {
  const out: [string, tfl.layers.Layer][] = [];
  model.layers.forEach((layer, i) => {
    const path = `${prefix}${i}`;
    out.push([path, layer]);
    if (layer instanceof tfl.LayersModel) out.push(...walkLayers(layer, `${path}.`));
  });
  return out;
}

/** Frees the tensors of a state (one loaded from a checkpoint, or captured). */
export function disposeTrainingState(state: Pick<TrainingState, 'tensors'>) {
  tf.dispose(state.tensors.map((t) => t.tensor));
}

/** What a run does not carry in tensors; `fit` fills it from its own loop. */
export type LoopPosition = Omit<TrainingState, 'format' | 'version' | 'tensors' | 'callbacks' | 'layers'>;

/** A network of a run with several (a GAN's generator and discriminator) and the optimizer that trains it. */
export interface Network {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
}

/**
 * Copies a network's weights, optimizer slots, running powers and layers' state into `tensors` and
 * `layers`, names prefixed.
 */
async function captureNetwork(
  prefix: string,
  model: tfl.LayersModel,
  optimizer: tf.Optimizer | undefined,
  tensors: NamedTensor[],
  layers: Record<string, number[]>,
) {
  model.getWeights().forEach((w, i) => {
    tensors.push({ name: `${prefix}model/${i}`, tensor: w.clone() });
  });
  const slots = optimizer ? await optimizer.getWeights() : [];
  // getWeights hands out a fresh step count ('iter', ours now) and the optimizer's own variables (copied).
  slots.forEach((s, i) => {
    tensors.push({ name: `${prefix}optimizer/${i}`, tensor: s.name === 'iter' ? s.tensor : s.tensor.clone() });
  });
  for (const [key, power] of accumulatedPowers(optimizer)) {
    tensors.push({ name: `${prefix}optimizer-power/${key}`, tensor: power.clone() });
  }
  for (const [path, layer] of walkLayers(model)) {
    if (isStatefulLayer(layer)) layers[`${prefix}${path}`] = layer.getTrainingState();
  }
}

/**
 * Takes the state of a run: copies of the weights and optimizer slots (owned by the
 * returned state), the callbacks' and layers' state, and the loop position given.
 */
export async function captureTrainingState(
  model: tfl.LayersModel,
  callbacks: readonly TrainingCallback[],
  position: LoopPosition,
): Promise<TrainingState> {
  const tensors: NamedTensor[] = [];
  const layers: Record<string, number[]> = {};
  await captureNetwork('', model, model.optimizer, tensors, layers);
  const states: Record<string, unknown> = {};
  callbacks.forEach((cb, k) => {
    if (!isStatefulCallback(cb)) return;
    const { json, tensors: lent = [] } = cb.saveState();
    states[k] = json ?? null;
    lent.forEach((t, i) => {
      tensors.push({ name: `callbacks/${k}/${i}`, tensor: t.clone() });
    });
  });
  return {
    format: 'neurona-training-state',
    version: 1,
    ...structuredClone(position),
    callbacks: states,
    layers,
    tensors,
  };
}

/**
 * The state of a run that trains several networks with a loop of its own (a GAN): each
 * network's weights, optimizer slots and layers' state under its name (`generator/model/0`,
 * …), and the loop position. Saved and loaded by `saveCheckpoint`/`loadCheckpoint` as any
 * other state; `restoreNetworksState` puts it back.
 */
export async function captureNetworksState(
  networks: Record<string, Network>,
  position: LoopPosition,
): Promise<TrainingState> {
  const tensors: NamedTensor[] = [];
  const layers: Record<string, number[]> = {};
  for (const [name, { model, optimizer }] of Object.entries(networks)) {
    await captureNetwork(`${name}/`, model, optimizer, tensors, layers);
  }
  return { format: 'neurona-training-state', version: 1, ...structuredClone(position), callbacks: {}, layers, tensors };
}

/**
 * The running powers β₁ᵗ, β₂ᵗ that Adam and Adamax keep beside their slots (not in
 * `getWeights`): `accBeta1`, `accBeta2`, and Adamax's `accBeta1`.
 */
function accumulatedPowers(optimizer: tf.Optimizer | undefined): [string, tf.Variable][] {
  if (!optimizer) return [];
  const fields = optimizer as unknown as Record<string, unknown>;
  return ['accBeta1', 'accBeta2'].flatMap((key) =>
    fields[key] instanceof tf.Variable ? [[key, fields[key] as tf.Variable] as [string, tf.Variable]] : [],
  );
}

const group = (state: TrainingState, prefix: string) =>
  state.tensors
    .filter((t) => t.name.startsWith(prefix) && /^\d+$/.test(t.name.slice(prefix.length)))
    .sort((a, b) => Number(a.name.slice(prefix.length)) - Number(b.name.slice(prefix.length)))
    .map((t) => t.tensor);

/** Checks that `state` holds `model`'s architecture under `prefix`; throws before anything changes. */
function checkNetwork(prefix: string, model: tfl.LayersModel, state: TrainingState) {
  const weights = group(state, `${prefix}model/`);
  const own = model.weights;
  const what = prefix ? ` for ${prefix.slice(0, -1)}` : '';
  if (weights.length !== own.length) {
    throw new InvalidInputError(
      'restoreTrainingState',
      'state',
      `the checkpoint holds ${weights.length} weights${what}, the model ${own.length}: it was saved from another architecture`,
    );
  }
  own.forEach((w, i) => {
    const saved = weights[i] as tf.Tensor;
    if (!tf.util.arraysEqual(saved.shape, w.shape as number[])) {
      throw new InvalidInputError(
        'restoreTrainingState',
        'state',
        `weight ${i} (${w.name}) is [${w.shape.join(',')}] in the model but [${saved.shape.join(',')}] in the checkpoint: it was saved from another architecture`,
      );
    }
  });
  const layers = new Map(walkLayers(model).map(([path, layer]) => [`${prefix}${path}`, layer]));
  const paths = Object.keys(state.layers).filter((path) => path.startsWith(prefix) && (prefix || !path.includes('/')));
  for (const path of paths) {
    const layer = layers.get(path);
    if (!layer || !isStatefulLayer(layer)) {
      throw new InvalidInputError(
        'restoreTrainingState',
        'state',
        `the checkpoint keeps state for layer ${path}, which the model does not have: it was saved from another architecture`,
      );
    }
  }
  return { weights, layers, paths };
}

async function restoreNetwork(
  prefix: string,
  model: tfl.LayersModel,
  optimizer: tf.Optimizer | undefined,
  state: TrainingState,
  checked: ReturnType<typeof checkNetwork>,
) {
  model.setWeights(checked.weights);
  const slots = group(state, `${prefix}optimizer/`);
  if (slots.length > 0) {
    if (!optimizer)
      throw new InvalidInputError('restoreTrainingState', 'model', 'compile the model before restoring its optimizer');
    // tfjs makes its slot variables from these tensors (sharing their data by reference count),
    // so the state's tensors can be freed afterwards. Restore before the first step.
    await optimizer.setWeights(slots.map((t, i) => ({ name: `slot_${i}`, tensor: t })));
    // setWeights recomputes β^t with pow; the uninterrupted run multiplied it step by step, which
    // rounds differently after some tens of steps: the saved products are put back as they were.
    const powers = `${prefix}optimizer-power/`;
    const saved = new Map(
      state.tensors.filter((t) => t.name.startsWith(powers)).map((t) => [t.name.slice(powers.length), t.tensor]),
    );
    for (const [key, power] of accumulatedPowers(optimizer)) {
      const value = saved.get(key);
      if (value) power.assign(value as tf.Scalar);
    }
  }
  for (const path of checked.paths)
    (checked.layers.get(path) as unknown as StatefulLayer).setTrainingState(state.layers[path] as number[]);
}

function checkFormat(state: TrainingState) {
  if (state.format !== 'neurona-training-state' || state.version !== 1) {
    throw new InvalidInputError(
      'restoreTrainingState',
      'state',
      `not a Neurona training state (format ${String(state.format)})`,
    );
  }
}

/**
 * Puts a state back into a model built the same way (same architecture, compiled): the
 * weights, the optimizer's slots, the layers' and callbacks' state. The state's tensors
 * stay the caller's. A state of another architecture is refused before anything changes.
 */
export async function restoreTrainingState(
  model: tfl.LayersModel,
  callbacks: readonly TrainingCallback[],
  state: TrainingState,
) {
  checkFormat(state);
  const checked = checkNetwork('', model, state);
  await restoreNetwork('', model, model.optimizer, state, checked);
  callbacks.forEach((cb, k) => {
    if (!isStatefulCallback(cb) || !(String(k) in state.callbacks)) return;
    cb.restoreState({ json: state.callbacks[k], tensors: group(state, `callbacks/${k}/`) });
  });
}

/**
 * Puts a `captureNetworksState` state back into networks built the same way: every one is
 * checked first, so a state of another architecture changes nothing. The state's tensors
 * stay the caller's.
 */
export async function restoreNetworksState(networks: Record<string, Network>, state: TrainingState) {
  checkFormat(state);
  const checked = Object.entries(networks).map(
    ([name, network]) => [name, network, checkNetwork(`${name}/`, network.model, state)] as const,
  );
  for (const [name, { model, optimizer }, check] of checked)
    await restoreNetwork(`${name}/`, model, optimizer, state, check);
}
