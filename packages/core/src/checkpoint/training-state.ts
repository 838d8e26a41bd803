import * as tf from '@tensorflow/tfjs';
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
function walkLayers(model: tf.LayersModel, prefix = ''): [string, tf.layers.Layer][] {
  const out: [string, tf.layers.Layer][] = [];
  model.layers.forEach((layer, i) => {
    const path = `${prefix}${i}`;
    out.push([path, layer]);
    if (layer instanceof tf.LayersModel) out.push(...walkLayers(layer, `${path}.`));
  });
  return out;
}

/** Frees the tensors of a state (one loaded from a checkpoint, or captured). */
export function disposeTrainingState(state: Pick<TrainingState, 'tensors'>) {
  tf.dispose(state.tensors.map((t) => t.tensor));
}

/** What a run does not carry in tensors; `fit` fills it from its own loop. */
export type LoopPosition = Omit<TrainingState, 'format' | 'version' | 'tensors' | 'callbacks' | 'layers'>;

/**
 * Takes the state of a run: copies of the weights and optimizer slots (owned by the
 * returned state), the callbacks' and layers' state, and the loop position given.
 */
export async function captureTrainingState(
  model: tf.LayersModel,
  callbacks: readonly TrainingCallback[],
  position: LoopPosition,
): Promise<TrainingState> {
  const tensors: NamedTensor[] = model.getWeights().map((w, i) => ({ name: `model/${i}`, tensor: w.clone() }));
  const slots = model.optimizer ? await model.optimizer.getWeights() : [];
  // getWeights hands out a fresh step count ('iter', ours now) and the optimizer's own variables (copied).
  slots.forEach((s, i) => {
    tensors.push({ name: `optimizer/${i}`, tensor: s.name === 'iter' ? s.tensor : s.tensor.clone() });
  });
  for (const [key, power] of accumulatedPowers(model.optimizer)) {
    tensors.push({ name: `optimizer-power/${key}`, tensor: power.clone() });
  }
  const states: Record<string, unknown> = {};
  callbacks.forEach((cb, k) => {
    if (!isStatefulCallback(cb)) return;
    const { json, tensors: lent = [] } = cb.saveState();
    states[k] = json ?? null;
    lent.forEach((t, i) => {
      tensors.push({ name: `callbacks/${k}/${i}`, tensor: t.clone() });
    });
  });
  const layers: Record<string, number[]> = {};
  for (const [path, layer] of walkLayers(model)) {
    if (isStatefulLayer(layer)) layers[path] = layer.getTrainingState();
  }
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
    .filter((t) => t.name.startsWith(prefix))
    .sort((a, b) => Number(a.name.slice(prefix.length)) - Number(b.name.slice(prefix.length)))
    .map((t) => t.tensor);

/**
 * Puts a state back into a model built the same way (same architecture, compiled): the
 * weights, the optimizer's slots, the layers' and callbacks' state. The state's tensors
 * stay the caller's. A state of another architecture is refused before anything changes.
 */
export async function restoreTrainingState(
  model: tf.LayersModel,
  callbacks: readonly TrainingCallback[],
  state: TrainingState,
) {
  if (state.format !== 'neurona-training-state' || state.version !== 1) {
    throw new Error(`restoreTrainingState: not a Neurona training state (format ${String(state.format)})`);
  }
  const weights = group(state, 'model/');
  const own = model.weights;
  if (weights.length !== own.length) {
    throw new Error(
      `restoreTrainingState: the checkpoint holds ${weights.length} weights, the model ${own.length}: it was saved from another architecture`,
    );
  }
  own.forEach((w, i) => {
    const saved = weights[i] as tf.Tensor;
    if (!tf.util.arraysEqual(saved.shape, w.shape as number[])) {
      throw new Error(
        `restoreTrainingState: weight ${i} (${w.name}) is [${w.shape.join(',')}] in the model but [${saved.shape.join(',')}] in the checkpoint: it was saved from another architecture`,
      );
    }
  });
  const layerStates = Object.keys(state.layers);
  const layers = new Map(walkLayers(model));
  for (const path of layerStates) {
    const layer = layers.get(path);
    if (!layer || !isStatefulLayer(layer)) {
      throw new Error(
        `restoreTrainingState: the checkpoint keeps state for layer ${path}, which the model does not have: it was saved from another architecture`,
      );
    }
  }
  model.setWeights(weights);
  const slots = group(state, 'optimizer/');
  if (slots.length > 0) {
    if (!model.optimizer) throw new Error('restoreTrainingState: compile the model before restoring its optimizer');
    // tfjs makes its slot variables from these tensors (sharing their data by reference count),
    // so the state's tensors can be freed afterwards. Restore before the first step.
    await model.optimizer.setWeights(slots.map((t, i) => ({ name: `slot_${i}`, tensor: t })));
    // setWeights recomputes β^t with pow; the uninterrupted run multiplied it step by step, which
    // rounds differently after some tens of steps: the saved products are put back as they were.
    const prefix = 'optimizer-power/';
    const saved = new Map(
      state.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => [t.name.slice(prefix.length), t.tensor]),
    );
    for (const [key, power] of accumulatedPowers(model.optimizer)) {
      const value = saved.get(key);
      if (value) power.assign(value as tf.Scalar);
    }
  }
  for (const path of layerStates)
    (layers.get(path) as unknown as StatefulLayer).setTrainingState(state.layers[path] as number[]);
  callbacks.forEach((cb, k) => {
    if (!isStatefulCallback(cb) || !(String(k) in state.callbacks)) return;
    cb.restoreState({ json: state.callbacks[k], tensors: group(state, `callbacks/${k}/`) });
  });
}
