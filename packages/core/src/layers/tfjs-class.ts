import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

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
