import type * as tfl from '@tensorflow/tfjs-layers';

/** A model's parameters: total, trainable and non-trainable, as Keras's summary counts them. */
export interface ParameterCounts {
  total: number;
  trainable: number;
  nonTrainable: number;
}

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

/** Parameter counts as Keras reports them under a model summary. */
export function countParameters(model: tfl.LayersModel): ParameterCounts {
  const trainable = model.trainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
  const nonTrainable = model.nonTrainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}

const thousands = (n: number) => n.toLocaleString('en-US');

function formatShape(shape: tfl.Shape | tfl.Shape[]): string {
  const one = (s: tfl.Shape) =>
    `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? (shape as tfl.Shape[]).map(one).join(', ') : one(shape as tfl.Shape);
}

/**
 * The model summary as Keras prints it: one row per layer with its output shape and
 * parameter count, then totals with thousands separated by commas.
 *
 * @example
 * ```ts
 * const model = ch05Dense({ rng: createRng(42) });
 * console.log(summary(model)); // Keras's table, ending "Total params: 7,960"
 * ```
 */
export function summary(model: tfl.LayersModel): string {
  const widths = [29, 26, 10];
  const rule = (c: string) => c.repeat(widths.reduce((a, b) => a + b, 0));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('')
      .trimEnd();
  const lines = [`Model: "${model.name}"`, rule('_'), row(['Layer (type)', 'Output Shape', 'Param #']), rule('=')];
  model.layers.forEach((layer, i) => {
    const params = layer.countParams();
    lines.push(row([`${layer.name} (${layer.getClassName()})`, formatShape(layer.outputShape), String(params)]));
    lines.push(i === model.layers.length - 1 ? rule('=') : '');
  });
  const counts = countParameters(model);
  lines.push(`Total params: ${thousands(counts.total)}`);
  lines.push(`Trainable params: ${thousands(counts.trainable)}`);
  lines.push(`Non-trainable params: ${thousands(counts.nonTrainable)}`);
  lines.push(rule('_'));
  return lines.join('\n');
}

/** A layer of a model's graph: what it is, what it makes, and the layers it takes its inputs from. */
export interface LayerNode {
  name: string;
  className: string;
  /** Keras's notation: `(None, 28, 28, 32)`; several for a layer used more than once. */
  outputShape: string;
  parameters: number;
  /** The layers whose outputs this one takes, in order (none for an input). */
  inputs: string[];
}

/**
 * A model as a graph of layers (book ch. 12: the functional API draws models as graphs): one node
 * per layer of `model.layers`, in order, each naming the layers it takes its inputs from. A shared
 * layer (used twice) lists the inputs of every use. A Sequential model's implicit input layer is
 * left out: its first layer has no inputs.
 *
 * @example
 * ```ts
 * const graph = layerGraph(residualBlockModel());
 * // graph.find((n) => n.name === 'skip')?.inputs: ['input', 'conv_b']
 * ```
 */
export function layerGraph(model: tfl.LayersModel): LayerNode[] {
  const known = new Set(model.layers.map((l) => l.name));
  return model.layers.map((layer) => {
    const inputs: string[] = [];
    for (const node of layer.inboundNodes) {
      for (const from of node.inboundLayers) {
        if (known.has(from.name) && !inputs.includes(from.name)) inputs.push(from.name);
      }
    }
    let outputShape: string;
    try {
      outputShape = formatShape(layer.outputShape);
    } catch {
      // A layer used on inputs of different shapes has no single output shape.
      outputShape = layer.inboundNodes.map((n) => formatShape(n.outputShapes)).join(', ');
    }
    return { name: layer.name, className: layer.getClassName(), outputShape, parameters: layer.countParams(), inputs };
  });
}
