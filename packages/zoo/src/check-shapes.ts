import type * as tf from '@tensorflow/tfjs';

const inputShapeOf = (layer: tf.layers.Layer): tf.Shape | tf.Shape[] => {
  const input = layer.input;
  return Array.isArray(input) ? input.map((i) => i.shape) : input.shape;
};

const dims = (shape: tf.Shape | tf.Shape[]): (number | null)[] =>
  Array.isArray(shape[0]) ? (shape as tf.Shape[]).flat() : (shape as tf.Shape);
const show = (shape: tf.Shape | tf.Shape[]) => JSON.stringify(shape).replaceAll('null', 'None');

/**
 * Refuses a model in which some layer's output has a dimension below 1 (tfjs accepts a
 * pooling that shrinks a 1×1 map to 0×0 and fails only when data arrives), naming the
 * layer and the shapes, before any training starts. Returns the model.
 */
export function checkShapes<T extends tf.LayersModel>(model: T): T {
  for (const layer of model.layers) {
    const out = dims(layer.outputShape);
    if (out.some((d) => d !== null && d < 1)) {
      throw new Error(
        `${model.name}: layer ${layer.name} (${layer.getClassName()}) turns input ${show(inputShapeOf(layer))} into ${show(layer.outputShape)}; a kernel or pooling larger than its input makes no model`,
      );
    }
  }
  return model;
}
