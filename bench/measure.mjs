// One measurement, shared by Node and the browser: train and predict one model on the
// active backend for about `seconds` each, and return samples per second.
import { makeModel } from './models.mjs';

/**
 * Runs `step` until `seconds` have passed (at least twice), after a warm-up of at least two steps
 * and one second. A step slower than `seconds` is timed once, the second time: the first step in a
 * process pays for the WASM heap growing and the JIT compiling the kernels (a char-LSTM's first
 * step takes 4× its second).
 */
async function timeLoop(step, seconds, tf) {
  let t0 = performance.now();
  await step();
  const first = (performance.now() - t0) / 1000;
  if (first > seconds) {
    // A slow step is its own figure: the second one, as the first pays the one-time costs.
    t0 = performance.now();
    await step();
    return { steps: 1, seconds: (performance.now() - t0) / 1000, tensorGrowth: 0 };
  }
  let warm = 1;
  while (warm < 2 || (performance.now() - t0) / 1000 < Math.min(1, seconds)) {
    await step();
    warm += 1;
  }
  // After the warm-up, optimizer slots and tfjs's caches exist; any growth is a leak.
  const tensors = tf.memory().numTensors;
  let steps = 0;
  t0 = performance.now();
  while ((performance.now() - t0) / 1000 < seconds || steps < 2) {
    await step();
    steps += 1;
  }
  return { steps, seconds: (performance.now() - t0) / 1000, tensorGrowth: tf.memory().numTensors - tensors };
}

export async function measure(name, seconds, tf) {
  const { spec, model, rng } = makeModel(name);
  const [x, y] = spec.batch(spec.batchSize, rng);
  let train;
  let predict;
  try {
    train = await timeLoop(() => model.trainOnBatch(x, y), seconds, tf);
    predict = await timeLoop(
      async () => {
        const out = model.predict(x);
        await out.data();
        out.dispose();
      },
      seconds,
      tf,
    );
  } finally {
    tf.dispose([x, y]);
    const optimizer = model.optimizer;
    model.dispose();
    optimizer.dispose();
  }
  return {
    model: name,
    batchSize: spec.batchSize,
    trainSamplesPerSec: (train.steps * spec.batchSize) / train.seconds,
    predictSamplesPerSec: (predict.steps * spec.batchSize) / predict.seconds,
    trainSteps: train.steps,
    // Tensors gained over the timed steps, after the warm-up: 0 means nothing leaks per step.
    tensorGrowth: train.tensorGrowth + predict.tensorGrowth,
  };
}
