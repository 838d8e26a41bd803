import { InvalidInputError } from '@neurona/core';
import * as tfl from '@tensorflow/tfjs-layers';

const inputShapeOf = (layer: tfl.layers.Layer): tfl.Shape | tfl.Shape[] => {
  const input = layer.input;
  return Array.isArray(input) ? input.map((i) => i.shape) : input.shape;
};

const dims = (shape: tfl.Shape | tfl.Shape[]): (number | null)[] =>
  Array.isArray(shape[0]) ? (shape as tfl.Shape[]).flat() : (shape as tfl.Shape);
const show = (shape: tfl.Shape | tfl.Shape[]) => JSON.stringify(shape).replaceAll('null', 'None');
/** Whether the layer's output has a dimension below 1. */
const shrinksToNothing = (layer: tfl.layers.Layer) => dims(layer.outputShape).some((d) => d !== null && d < 1);

const NO_MODEL = 'a kernel or pooling larger than its input makes no model';

/** The error for a layer whose output has a dimension below 1, or that tfjs cannot add. */
function noModel(model: string, layer: tfl.layers.Layer, input: tfl.Shape | tfl.Shape[], output: string): Error {
  return new InvalidInputError(
    model,
    'inputShape',
    `layer ${layer.name} (${layer.getClassName()}) turns input ${show(input)} into ${output}; ${NO_MODEL}`,
  );
}

/**
 * Builds a Sequential model layer by layer and refuses the first layer whose output has a
 * dimension below 1 — a pooling tfjs shrinks to 0×0, or a kernel tfjs cannot fit at all —
 * naming the layer and the shapes, where tfjs would report only the next layer's symptom.
 * Nothing is left allocated when it throws.
 */
export function checkedSequential(name: string, layers: tfl.layers.Layer[]): tfl.Sequential {
  const model = tfl.sequential({ name });
  try {
    for (const layer of layers) {
      const input = model.outputs[0]?.shape ?? [null, ...(layer.batchInputShape?.slice(1) ?? [])];
      try {
        model.add(layer);
      } catch (error) {
        // The layer built its weights before tfjs found the shape: it is not the model's to free.
        for (const w of layer.weights) w.dispose();
        if (!/negative dimension/i.test((error as Error).message)) throw error;
        throw noModel(name, layer, input, 'a negative size');
      }
      if (shrinksToNothing(layer)) throw noModel(name, layer, input, show(layer.outputShape));
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Refuses a model in which some layer's output has a dimension below 1 (tfjs accepts a
 * pooling that shrinks a 1×1 map to 0×0 and fails only when data arrives), naming the
 * layer and the shapes, before any training starts. Returns the model.
 */
export function checkShapes<T extends tfl.LayersModel>(model: T): T {
  for (const layer of model.layers) {
    if (shrinksToNothing(layer)) throw noModel(model.name, layer, inputShapeOf(layer), show(layer.outputShape));
  }
  return model;
}
