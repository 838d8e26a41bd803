import { buildNamedModel, summary, zoo } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';

/** `neurona model list`: the named networks of the book. */
export function modelList(log = console.log) {
  for (const m of zoo) log(`${m.name.padEnd(14)} ch ${String(m.chapter).padStart(2)}  ${m.description}`);
}

/** `neurona model summary NAME`: the Keras-style summary, ending with the parameter totals. */
export async function modelSummary(
  name: string,
  options: { inputShape?: [number, number, number]; classes?: number },
  log = console.log,
) {
  await tf.setBackend('cpu'); // building needs no fast backend, and cpu is always there
  // Only weights are made here: tfjs's "install tfjs-node to speed things up" banner would be noise.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  const model = buildNamedModel(name, options);
  try {
    log(summary(model));
  } finally {
    model.dispose();
  }
}
