import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * A tfjs layer class as a value: its constructor and its registered name. (tfjs-layers exports the
 * layer classes only from deep `dist/` paths, which a user's strict `node16` TypeScript cannot
 * resolve, so our public types name them through the factories: `ReturnType<typeof tfl.layers.lstm>`.)
 */
export interface LayerClass<Args, Layer> {
  new (args: Args): Layer;
  className: string;
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
}

/**
 * tfjs's own layer class registered as `name`, the base of one of our fused layers: read when our
 * module loads, before `registerFusedRecurrentLayers` may put ours in its place.
 */
export function tfjsClass<T>(name: 'LSTM' | 'GRU' | 'BatchNormalization'): T {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  // invariant: loading @tensorflow/tfjs-layers (imported here) registers these classes
  if (!entry) throw new Error(`neurona: @tensorflow/tfjs-layers ${tfl.version_layers} registered no '${name}' class`);
  return entry[0] as unknown as T;
}
