import { InvalidOptionError } from '@neurona/errors';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GRU_SEQUENCE } from '../wasm/gru-sequence.js';
import { LSTM_SEQUENCE } from '../wasm/lstm-sequence.js';
import type { GateActivation } from '../wasm/recurrent-steps.js';
import { GATE_ACTIVATIONS } from '../wasm/recurrent-steps.js';
import type { LayerClass } from './tfjs-class.js';
import { tfjsClass } from './tfjs-class.js';

/** Options of `tf.layers.lstm`. */
export type LSTMLayerArgs = Parameters<typeof tfl.layers.lstm>[0];
/** Options of `tf.layers.gru`. */
export type GRULayerArgs = Parameters<typeof tfl.layers.gru>[0];
type LSTM = ReturnType<typeof tfl.layers.lstm>;
type GRU = ReturnType<typeof tfl.layers.gru>;

type Kwargs = { mask?: tf.Tensor | null; training?: boolean; initialState?: tf.Tensor | tf.Tensor[] | null };

/** The parts of tfjs's recurrent cells the fused path reads (their classes keep them public in JS). */
interface CellInternals {
  units: number;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  kernel: tfl.LayerVariable;
  recurrentKernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
}

type Report = ((line: string) => void) | false;
let report: Report = (line) => console.warn(line);
const reported = new Set<string>();

/**
 * Where the one-line report goes when a fused `LSTM` or `GRU` runs tfjs's own layer instead (an
 * option or a backend the fused kernels do not cover): `console.warn` by default, `false` for none.
 * Each layer reports each reason once.
 */
export function onRecurrentFallback(to: Report): void {
  report = to;
}

const TfjsLSTM: LayerClass<LSTMLayerArgs, LSTM> = tfjsClass('LSTM');
const TfjsGRU: LayerClass<GRULayerArgs, GRU> = tfjsClass('GRU');

/**
 * Why `layer` cannot take the fused path on wasm for this call (`undefined`: it can). The fused
 * kernels compute tanh cells with sigmoid or hard-sigmoid gates, from a zero or given initial
 * state, without masks, dropout in training, state kept between batches or unrolling.
 */
function unfusedReason(layer: LSTM | GRU, cell: CellInternals, kwargs: Kwargs | undefined): string | undefined {
  if (layer.unroll) return 'unroll: true';
  if (layer.stateful) return 'stateful: true';
  if (kwargs?.mask != null) return 'the input has a mask';
  const activation = cell.activation.getClassName();
  if (activation !== 'tanh') return `activation '${activation}' (fused: tanh)`;
  const gate = cell.recurrentActivation.getClassName();
  if (!GATE_ACTIVATIONS.includes(gate as GateActivation))
    return `recurrentActivation '${gate}' (fused: ${GATE_ACTIVATIONS.join(', ')})`;
  if (kwargs?.training && (cell.dropout > 0 || cell.recurrentDropout > 0))
    return `dropout ${cell.dropout} / recurrentDropout ${cell.recurrentDropout} in training`;
  return undefined;
}

function fallBack(layer: tfl.layers.Layer, reason: string) {
  const key = `${layer.name}\u0000${reason}`;
  if (report === false || reported.has(key)) return;
  reported.add(key);
  report(`neurona: ${layer.getClassName()} '${layer.name}' runs tfjs's own layer: ${reason}`);
}

/** The call's input `[batch, time, features]` and its initial states (zeros where none are given). */
function sequenceAndStates(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs | undefined, units: number, count: number) {
  // In a model, given states arrive after the sequence in `inputs`; called directly, in `initialState`.
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const x = list[0] as tf.Tensor3D;
  const given = kwargs?.initialState;
  const states =
    list.length > 1
      ? list.slice(1)
      : given == null
        ? []
        : (Array.isArray(given) ? given : [given]).filter((s) => s instanceof tf.Tensor);
  const batch = x.shape[0];
  if (states.length !== 0 && states.length !== count) {
    throw new InvalidOptionError(
      'initialState',
      'length',
      states.length,
      `${count} tensors of shape [${batch}, ${units}]`,
    );
  }
  return {
    x,
    states: states.length > 0 ? states : Array.from({ length: count }, () => tf.zeros([batch, units])),
  };
}

/** `x·W (+ b)` for every step at once, `[batch, time, gates·units]`: the one input product of the sequence. */
function inputProjection(x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor3D {
  const [batch, time, features] = x.shape;
  const product = tf.matMul(tf.reshape(x, [batch * time, features]), kernel);
  const projected = bias ? tf.add(product, bias) : product;
  return tf.reshape(projected, [batch, time, kernel.shape[1] as number]);
}

/** The layer's outputs from the whole sequence `h` `[batch, time, units]` and the last states. */
function layerOutputs(layer: LSTM | GRU, h: tf.Tensor3D, last: (s: tf.Tensor3D) => tf.Tensor2D, states: tf.Tensor3D[]) {
  const output = layer.returnSequences ? h : last(h);
  return layer.returnState ? [output, ...states.map(last)] : output;
}

const lastStep = (s: tf.Tensor3D): tf.Tensor2D => {
  const [batch, time, units] = s.shape;
  return tf.reshape(tf.slice(s, [0, time - 1, 0], [batch, 1, units]), [batch, units]);
};

/**
 * tfjs's `LSTM`, whose sequence runs as one fused kernel on the `wasm` backend: the input product
 * for every step first, then per step the recurrent product and one loop over the gates, forward
 * and backward (`NeuronaLSTMSequence`). Same constructor options, weights and class name as
 * `tf.layers.lstm`, so a model saved with it loads in plain TensorFlow.js, and with
 * `registerFusedRecurrentLayers()` the other way round. On other backends it is tfjs's layer,
 * silently (theirs is the fast path there). On wasm, where an option is one the fused kernel does
 * not compute (`unroll`, `stateful`, a mask, another activation, dropout in training), it runs
 * tfjs's own layer and says so once per layer and reason (`onRecurrentFallback`).
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 65, outputDim: 64 }),
 *   fusedLstm({ units: 256, returnSequences: true }), tf.layers.dense({ units: 65 })] });
 * ```
 */
export class FusedLSTM extends TfjsLSTM {
  static override className = 'LSTM';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as unknown as CellInternals;
    // Off wasm (WebGL, WebGPU, tfjs-node, CPU) tfjs's own layer is the right one: no report.
    if (!tf.getKernel(LSTM_SEQUENCE, tf.getBackend())) return super.call(inputs, kwargs as tf.serialization.ConfigDict);
    const reason = unfusedReason(this, cell, kwargs);
    if (reason) {
      fallBack(this, reason);
      return super.call(inputs, kwargs as tf.serialization.ConfigDict);
    }
    return tf.tidy(() => {
      const { x, states } = sequenceAndStates(inputs, kwargs, cell.units, 2);
      const xw = inputProjection(x, cell.kernel.read(), cell.bias?.read());
      const [h, c, gates] = tf.engine().runKernel(
        LSTM_SEQUENCE,
        { xw, recurrentKernel: cell.recurrentKernel.read(), h0: states[0], c0: states[1] } as tf.NamedTensorMap,
        {
          recurrentActivation: cell.recurrentActivation.getClassName(),
          goBackwards: this.goBackwards,
        } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor3D[];
      (gates as tf.Tensor).dispose();
      return layerOutputs(this, h as tf.Tensor3D, lastStep, [h as tf.Tensor3D, c as tf.Tensor3D]);
    });
  }
}

/** Options of `FusedGRU`: tfjs's `GRU` options, and Keras's `resetAfter`. */
export interface FusedGRUArgs extends GRULayerArgs {
  /**
   * Keras's `reset_after`: the reset gate multiplies the recurrent product, not the state, and
   * the bias is `[2, 3·units]` (input and recurrent). Keras 2 / TF2's default, and cuDNN's; tfjs's
   * `GRU` has only `false`, the default here. A model with `true` loads in Keras, not in plain tfjs.
   */
  resetAfter?: boolean;
}

/**
 * tfjs's `GRU`, whose sequence runs as one fused kernel on the `wasm` backend
 * (`NeuronaGRUSequence`), and which also computes Keras's `resetAfter: true` GRU (tfjs's has only
 * `false`). Same options, weights and class name as `tf.layers.gru`; the fall-backs are
 * `FusedLSTM`'s. A `resetAfter` GRU that cannot take the fused path runs its cell step by step
 * with tfjs ops instead.
 */
export class FusedGRU extends TfjsGRU {
  static override className = 'GRU';
  readonly resetAfter: boolean;

  constructor(args: FusedGRUArgs) {
    // tfjs's cell refuses `resetAfter: true`; the two-bias weights and the maths are ours.
    super({ ...args, resetAfter: false } as GRULayerArgs);
    this.resetAfter = args.resetAfter ?? false;
    if (typeof this.resetAfter !== 'boolean')
      throw new InvalidOptionError('gru', 'resetAfter', args.resetAfter, 'true or false');
    if (this.resetAfter) buildWithTwoBiases(this.cell as unknown as ResetAfterCell);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as unknown as CellInternals;
    const onWasm = Boolean(tf.getKernel(GRU_SEQUENCE, tf.getBackend()));
    const reason = onWasm ? unfusedReason(this, cell, kwargs) : 'not on wasm';
    if (reason) {
      if (onWasm) fallBack(this, reason);
      if (this.resetAfter) return resetAfterByOps(this, cell, inputs, kwargs);
      return super.call(inputs, kwargs as tf.serialization.ConfigDict);
    }
    return tf.tidy(() => {
      const { x, states } = sequenceAndStates(inputs, kwargs, cell.units, 1);
      const three = 3 * cell.units;
      const bias = cell.bias?.read();
      const [inputBias, recurrentBias] = this.resetAfter && bias ? tf.unstack(bias) : [bias, tf.zeros([three])];
      const xw = inputProjection(x, cell.kernel.read(), inputBias);
      const [h, gates, inner] = tf.engine().runKernel(
        GRU_SEQUENCE,
        {
          xw,
          recurrentKernel: cell.recurrentKernel.read(),
          recurrentBias: recurrentBias ?? tf.zeros([three]),
          h0: states[0],
        } as tf.NamedTensorMap,
        {
          recurrentActivation: cell.recurrentActivation.getClassName(),
          goBackwards: this.goBackwards,
          resetAfter: this.resetAfter,
        } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor3D[];
      (gates as tf.Tensor).dispose();
      (inner as tf.Tensor).dispose();
      return layerOutputs(this, h as tf.Tensor3D, lastStep, [h as tf.Tensor3D]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}

interface ResetAfterCell extends CellInternals {
  kernelInitializer: unknown;
  recurrentInitializer: unknown;
  biasInitializer: unknown;
  kernelRegularizer: unknown;
  recurrentRegularizer: unknown;
  biasRegularizer: unknown;
  kernelConstraint: unknown;
  recurrentConstraint: unknown;
  biasConstraint: unknown;
  built: boolean;
  build(inputShape: tfl.Shape | tfl.Shape[]): void;
  addWeight(
    name: string,
    shape: tfl.Shape,
    dtype: tf.DataType | null,
    initializer: unknown,
    regularizer: unknown,
    trainable: boolean,
    constraint: unknown,
  ): tfl.LayerVariable;
}

/** Keras's `reset_after` weights: the cell's bias is `[2, 3·units]`, input bias then recurrent bias. */
function buildWithTwoBiases(cell: ResetAfterCell) {
  cell.build = (inputShape) => {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inputDim = shape[shape.length - 1] as number;
    const three = 3 * cell.units;
    cell.kernel = cell.addWeight(
      'kernel',
      [inputDim, three],
      null,
      cell.kernelInitializer,
      cell.kernelRegularizer,
      true,
      cell.kernelConstraint,
    );
    cell.recurrentKernel = cell.addWeight(
      'recurrent_kernel',
      [cell.units, three],
      null,
      cell.recurrentInitializer,
      cell.recurrentRegularizer,
      true,
      cell.recurrentConstraint,
    );
    cell.bias = cell.useBias
      ? cell.addWeight('bias', [2, three], null, cell.biasInitializer, cell.biasRegularizer, true, cell.biasConstraint)
      : null;
    cell.built = true;
  };
}

/** Keras's `reset_after` GRU, one step at a time in tfjs ops: the path off wasm (tfjs's cell has no such mode). */
function resetAfterByOps(layer: FusedGRU, cell: CellInternals, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) {
  if (layer.stateful || kwargs?.mask != null || (kwargs?.training && (cell.dropout > 0 || cell.recurrentDropout > 0)))
    throw new InvalidOptionError(
      layer.name,
      'resetAfter',
      true,
      'a GRU without stateful, masks or dropout in training (tfjs has no reset-after cell to fall back on)',
    );
  return tf.tidy(() => {
    const { x, states } = sequenceAndStates(inputs, kwargs, cell.units, 1);
    const u = cell.units;
    const bias = cell.bias?.read();
    const [inputBias, recurrentBias] = bias ? tf.unstack(bias) : [undefined, undefined];
    const xw = inputProjection(x, cell.kernel.read(), inputBias);
    const R = cell.recurrentKernel.read();
    const gate = (v: tf.Tensor) =>
      cell.recurrentActivation.getClassName() === 'sigmoid'
        ? tf.sigmoid(v)
        : tf.clipByValue(tf.add(tf.mul(v, 0.2), 0.5), 0, 1);
    const time = x.shape[1];
    let h = states[0] as tf.Tensor2D;
    const outputs: tf.Tensor2D[] = [];
    for (let s = 0; s < time; s++) {
      const t = layer.goBackwards ? time - 1 - s : s;
      const xt = tf.squeeze(tf.slice(xw, [0, t, 0], [-1, 1, -1]), [1]);
      const a = recurrentBias ? tf.add(tf.matMul(h, R), recurrentBias) : tf.matMul(h, R);
      const [xz, xr, xh] = tf.split(xt, 3, 1) as tf.Tensor2D[];
      const [az, ar, ah] = tf.split(a, [u, u, u], 1) as tf.Tensor2D[];
      const z = gate(tf.add(xz as tf.Tensor, az as tf.Tensor));
      const r = gate(tf.add(xr as tf.Tensor, ar as tf.Tensor));
      const n = tf.tanh(tf.add(xh as tf.Tensor, tf.mul(r, ah as tf.Tensor)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n)) as tf.Tensor2D;
      outputs.push(h);
    }
    const sequence = tf.stack(outputs, 1) as tf.Tensor3D;
    return layerOutputs(layer, sequence, lastStep, [sequence]);
  });
}

/** `tf.layers.lstm`'s drop-in with the fused WASM sequence kernel. */
export const fusedLstm = (args: LSTMLayerArgs): FusedLSTM => new FusedLSTM(args);
/** `tf.layers.gru`'s drop-in with the fused WASM sequence kernel, and Keras's `resetAfter`. */
export const fusedGru = (args: FusedGRUArgs): FusedGRU => new FusedGRU(args);

/**
 * Makes `tf.loadLayersModel` (and `tf.models.modelFromJSON`) build every `LSTM` and `GRU` as
 * `FusedLSTM` and `FusedGRU`, so a model saved by plain TensorFlow.js or Keras (GRU with
 * `reset_after=True` included) trains at the fused kernels' speed. Returns the undo.
 */
export function registerFusedRecurrentLayers(): () => void {
  tf.serialization.registerClass(FusedLSTM);
  tf.serialization.registerClass(FusedGRU);
  return () => {
    tf.serialization.registerClass(
      TfjsLSTM as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    );
    tf.serialization.registerClass(
      TfjsGRU as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    );
  };
}
