// One measurement, shared by Node and the browser: train and predict one model on the
// active backend for about `seconds` each, and return samples per second.
import { makeModel } from './models.mjs';

/** Runs `step` until `seconds` have passed (at least twice, after one warm-up unless a step is slow). */
async function timeLoop(step, seconds) {
  let t0 = performance.now();
  await step();
  const first = (performance.now() - t0) / 1000;
  if (first > seconds) return { steps: 1, seconds: first }; // a slow step is its own figure
  let steps = 0;
  t0 = performance.now();
  while ((performance.now() - t0) / 1000 < seconds || steps < 2) {
    await step();
    steps += 1;
  }
  return { steps, seconds: (performance.now() - t0) / 1000 };
}

export async function measure(name, seconds, tf) {
  const { spec, model, rng } = makeModel(name);
  const [x, y] = spec.batch(spec.batchSize, rng);
  const before = tf.memory().numTensors;
  try {
    const train = await timeLoop(() => model.trainOnBatch(x, y), seconds);
    const predict = await timeLoop(async () => {
      const out = model.predict(x);
      await out.data();
      out.dispose();
    }, seconds);
    return {
      model: name,
      batchSize: spec.batchSize,
      trainSamplesPerSec: (train.steps * spec.batchSize) / train.seconds,
      predictSamplesPerSec: (predict.steps * spec.batchSize) / predict.seconds,
      trainSteps: train.steps,
      leakedTensors: tf.memory().numTensors - before,
    };
  } finally {
    tf.dispose([x, y]);
    const optimizer = model.optimizer;
    model.dispose();
    optimizer.dispose();
  }
}
