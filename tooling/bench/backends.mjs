#!/usr/bin/env node
// pnpm bench:backends [--models dense,mnist-cnn,fashion-cnn] [--backends wasm,cpu] [--json FILE] [--seconds 3]
// Trains and predicts each model on each backend in Node and prints samples/s as a
// table, plus JSON records {model, backend, runtime, trainSamplesPerSec, predictSamplesPerSec}.
// Where Debian's python3-torch is importable, the CNNs are timed in PyTorch too.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { benchModels, makeModel } from './models.mjs';

const options = new Command('bench:backends')
  .option('--models <list>', 'models to time', Object.keys(benchModels).join(','))
  .option('--backends <list>', 'backends to time', 'wasm,cpu')
  .option('--runtime <name>', 'node (chromium is not wired into this script yet)', 'node')
  .option('--seconds <s>', 'time to spend per measurement', '3')
  .option('--json <file>', 'also write the records to FILE')
  .option('--no-torch', 'skip the PyTorch reference')
  .parse()
  .opts();

if (options.runtime !== 'node') {
  console.error(`bench:backends: --runtime '${options.runtime}' is not supported yet; allowed: node`);
  process.exit(2);
}
const seconds = Number(options.seconds);

/** Runs `step` until `seconds` have passed (at least once, after one warm-up unless a step is slow). */
async function timeLoop(step) {
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

const records = [];
for (const backend of options.backends.split(',')) {
  await useBackend(backend, { log: false });
  for (const name of options.models.split(',')) {
    const { spec, model, rng } = makeModel(name);
    const [x, y] = spec.batch(spec.batchSize, rng);
    const before = tf.memory().numTensors;
    const train = await timeLoop(() => model.trainOnBatch(x, y));
    const predict = await timeLoop(async () => {
      const out = model.predict(x);
      await out.data();
      out.dispose();
    });
    const leaked = tf.memory().numTensors - before;
    const record = {
      model: name,
      backend,
      runtime: 'node',
      batchSize: spec.batchSize,
      trainSamplesPerSec: (train.steps * spec.batchSize) / train.seconds,
      predictSamplesPerSec: (predict.steps * spec.batchSize) / predict.seconds,
      trainSteps: train.steps,
      leakedTensors: leaked,
    };
    records.push(record);
    console.error(
      `${name} on ${backend}: train ${record.trainSamplesPerSec.toFixed(1)}/s, predict ${record.predictSamplesPerSec.toFixed(0)}/s`,
    );
    tf.dispose([x, y]);
    const optimizer = model.optimizer;
    model.dispose();
    optimizer.dispose();
  }
}

let torch = [];
if (options.torch) {
  try {
    const script = fileURLToPath(new URL('./torch_cnn.py', import.meta.url));
    const models = options.models
      .split(',')
      .filter((m) => m !== 'dense')
      .join(',');
    torch = JSON.parse(execFileSync('/usr/bin/python3', [script, models, String(seconds)], { encoding: 'utf8' }));
    records.push(...torch);
  } catch (error) {
    console.error(`PyTorch reference skipped: ${String(error.message).split('\n')[0]}`);
  }
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
console.log(
  `\nTraining / prediction throughput, samples per second (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, tfjs ${tf.version.tfjs})\n`,
);
console.log('| model | batch | backend | train samples/s | predict samples/s | vs PyTorch CPU (train) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of records) {
  const ref = torch.find((t) => t.model === r.model);
  const ratio =
    ref && r.runtime !== 'pytorch' ? `${((100 * r.trainSamplesPerSec) / ref.trainSamplesPerSec).toFixed(0)}%` : '';
  console.log(
    `| ${r.model} | ${r.batchSize} | ${r.runtime === 'pytorch' ? 'pytorch-cpu' : r.backend} | ${fmt(r.trainSamplesPerSec)} | ${fmt(r.predictSamplesPerSec)} | ${ratio} |`,
  );
}
if (options.json) writeFileSync(options.json, `${JSON.stringify(records, null, 2)}\n`);
