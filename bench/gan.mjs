// `pnpm bench:gan`: the chapter-14 DCGAN measured, not assumed. Prints Markdown tables and
// writes JSON:
//   1. speed of the full training step (both networks, batch 64) on each Node backend: the
//      step as a first port would write it (the generator run once per gradient, 14.3) beside
//      Neurona's (one generator pass feeding both gradients, nothing read back but the figures),
//      in seconds per step, images/s and seconds per Fashion-MNIST epoch (60,000 images);
//   2. quality after the same number of steps on the same images: Neurona (wasm) and, where
//      Debian's python3-torch is importable, PyTorch (one thread, bench/torch_gan.py) — both
//      sets of samples scored by Neurona's scorer (Fréchet distance of the scoring classifier's
//      features, classifier score, class spread), beside the floor (real train vs real test)
//      and the untrained generator.
// A benchmark, not a test: about 15 minutes on 2 CPU cores with the defaults.
//
//   node gan.mjs [--steps 100] [--batch-size 64] [--score-images 2000] [--backends wasm,cpu]
//                [--no-torch] [--json FILE] [--quick]
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@neurona/core';
import { registerFileSystem, useBackend } from '@neurona/core/node';
import {
  dcganDiscriminator,
  dcganGenerator,
  discriminatorLoss,
  generatorLoss,
  SampleScorer,
  trainGan,
} from '@neurona/gan';
import { ch14DcganFashionRecipe, SCORE_NOISE_SEED } from '@neurona/recipes';
import { loadGanData, scoringClassifierFor } from '@neurona/recipes/node';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';

const opts = new Command()
  .option('--steps <n>', 'training steps of the quality comparison', Number, 100)
  .option('--batch-size <n>', 'images per step', Number, 64)
  .option('--score-images <n>', 'images each score is read from', Number, 2000)
  .option('--backends <list>', 'Node backends of the speed table', 'wasm,cpu')
  .option('--no-torch', 'leave PyTorch out')
  .option('--json <file>', 'also write every figure as JSON')
  .option('--quick', 'a smoke run: 4 steps, 300 scored images, wasm only')
  .parse()
  .opts();
if (opts.quick) Object.assign(opts, { steps: 4, scoreImages: 300, backends: 'wasm' });
const here = fileURLToPath(new URL('.', import.meta.url));
const batchSize = opts.batchSize;
const settings = ch14DcganFashionRecipe.defaults;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}`;
const results = { machine, node: process.version, tfjs: tf.version.tfjs, batchSize, speed: [], quality: [] };
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

registerFileSystem();
const { data, name: dataName } = await loadGanData(ch14DcganFashionRecipe, {
  onWarning: (m) => console.error(`warning: ${m}`),
});
console.error(`data: ${dataName}, ${data.train.count} training images`);
const pixels = (set, from, count) =>
  tf.tidy(() =>
    tf.sub(
      tf.div(tf.tensor4d(set.images.subarray(from * 784, (from + count) * 784), [count, 28, 28, 1], 'float32'), 127.5),
      1,
    ),
  );

// 1. Speed of the step on each backend.
/**
 * The step as a first port writes it: the batch scaled in JavaScript and uploaded every step,
 * the generator run inside each gradient (twice a step), each loss read back on its own.
 */
function naiveStep(g, d, gOpt, dOpt, bytes, seed) {
  const real = tf.tensor4d(
    Float32Array.from(bytes, (v) => v / 127.5 - 1),
    [bytes.length / 784, 28, 28, 1],
  );
  const noise = tf.randomNormal([real.shape[0], 100], 0, 1, 'float32', seed);
  const gVars = g.trainableWeights.map((w) => w.read());
  const dVars = d.trainableWeights.map((w) => w.read());
  const gGrads = tf.variableGrads(
    () => generatorLoss(d.apply(g.apply(noise, { training: true }), { training: true })),
    gVars,
  );
  const dGrads = tf.variableGrads(
    () =>
      discriminatorLoss(
        d.apply(real, { training: true }),
        d.apply(g.apply(noise, { training: true }), { training: true }),
      ),
    dVars,
  );
  gOpt.applyGradients(gGrads.grads);
  dOpt.applyGradients(dGrads.grads);
  const out = [dGrads.value.dataSync()[0], gGrads.value.dataSync()[0]];
  tf.dispose([real, noise, gGrads.value, dGrads.value, gGrads.grads, dGrads.grads]);
  return out;
}

for (const backend of opts.backends.split(',')) {
  await useBackend(backend, { log: false });
  // tfjs's plain CPU backend is two orders slower: one timed step of 8 images places it.
  const steps = backend === 'cpu' ? 1 : 6;
  const batch = backend === 'cpu' ? 8 : batchSize;
  const images = pixels(data.train, 0, batch * (steps + 1));
  const rng = createRng(1);
  const g = dcganGenerator({ rng });
  const d = dcganDiscriminator({ rng });
  const gOpt = tf.train.adam(2e-4, 0.5);
  const dOpt = tf.train.adam(2e-4, 0.5);
  const batchBytes = (s) => data.train.images.subarray(s * batch * 784, (s + 1) * batch * 784);
  naiveStep(g, d, gOpt, dOpt, batchBytes(0), 1);
  let t0 = performance.now();
  for (let s = 0; s < steps; s++) naiveStep(g, d, gOpt, dOpt, batchBytes(s + 1), s + 2);
  const naive = (performance.now() - t0) / 1000 / steps;
  gOpt.dispose();
  dOpt.dispose();
  // Neurona's step: trainGan over steps + 1 batches; the first (Adam's slots, kernel set-up) is left out.
  let first = 0;
  t0 = 0;
  await trainGan(images, {
    generator: g,
    discriminator: d,
    epochs: 1,
    batchSize: batch,
    learningRate: 2e-4,
    beta1: 0.5,
    seed: 1,
    callbacks: {
      onBatchEnd: (b) => {
        if (b === 0) {
          first = performance.now();
        }
        t0 = performance.now();
      },
    },
  }).then((run) => run.dispose());
  const ours = (t0 - first) / 1000 / steps;
  const record = {
    backend,
    batchSize: batch,
    steps,
    naiveSecondsPerStep: naive,
    secondsPerStep: ours,
    imagesPerSec: batch / ours,
    secondsPerFashionEpoch: (60_000 / batch) * ours,
    speedup: naive / ours,
  };
  results.speed.push(record);
  console.error(`${backend}: ${f(naive, 3)} → ${f(ours, 3)} s/step`);
  images.dispose();
  g.dispose();
  d.dispose();
}

// 2. Quality after the same steps on the same images, scored by Neurona's scorer.
await useBackend('wasm', { log: false });
const classifier = await scoringClassifierFor(dataName, data, { log: (l) => console.error(l) });
const trainCount = opts.steps * batchSize;
if (trainCount > data.train.count)
  throw new Error(`--steps ${opts.steps} × batch ${batchSize} is more than the ${data.train.count} training images`);
const reference = pixels(data.test, 0, opts.scoreImages);
const scorer = SampleScorer.create(classifier.model, reference);
reference.dispose();
const floorImages = pixels(data.train, data.train.count - opts.scoreImages, opts.scoreImages);
const floor = scorer.score(floorImages);
floorImages.dispose();
// One seeded order of the first steps × batch images, the same for both runtimes.
const order = createRng(7).permutation(trainCount);
const shuffled = new Float32Array(trainCount * 784);
for (let i = 0; i < trainCount; i++) {
  const from = order[i] * 784;
  for (let j = 0; j < 784; j++) shuffled[i * 784 + j] = data.train.images[from + j] / 127.5 - 1;
}
const train = tf.tensor4d(shuffled, [trainCount, 28, 28, 1]);
const rng = createRng(settings.seed);
const g = dcganGenerator({ rng });
const d = dcganDiscriminator({ rng });
const untrained = scorer.scoreGenerator(g, SCORE_NOISE_SEED);
const run = await trainGan(train, {
  generator: g,
  discriminator: d,
  epochs: 1,
  batchSize,
  learningRate: settings.learningRate,
  beta1: settings.beta1,
  seed: settings.seed,
});
const neurona = scorer.scoreGenerator(g, SCORE_NOISE_SEED);
results.quality.push(
  { who: 'real train vs real test (floor)', ...floor },
  { who: 'untrained generator', ...untrained },
  {
    who: 'Neurona, tfjs wasm',
    ...neurona,
    steps: run.steps,
    seconds: run.timing.seconds,
    imagesPerSec: run.timing.imagesPerSecond,
    d_loss: run.history.history.d_loss[0],
    g_loss: run.history.history.g_loss[0],
  },
);
run.dispose();
train.dispose();
g.dispose();
d.dispose();

if (opts.torch) {
  let torchOk = true;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    torchOk = false;
    console.error('PyTorch: /usr/bin/python3 cannot import torch (apt-get install python3-torch): left out');
  }
  if (torchOk) {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-bench-gan-'));
    try {
      await writeFile(join(dir, 'images.f32'), new Uint8Array(shuffled.buffer));
      const line = execFileSync(
        '/usr/bin/python3',
        [
          join(here, 'torch_gan.py'),
          join(dir, 'images.f32'),
          String(trainCount),
          String(opts.steps),
          String(batchSize),
          String(settings.learningRate),
          String(settings.beta1),
          String(settings.seed),
          String(opts.scoreImages),
          join(dir, 'samples.f32'),
        ],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 24 },
      );
      const torch = JSON.parse(line.trim().split('\n').at(-1));
      const bytes = await readFile(join(dir, 'samples.f32'));
      const samples = tf.tensor4d(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), [
        opts.scoreImages,
        28,
        28,
        1,
      ]);
      const scores = scorer.score(samples);
      samples.dispose();
      results.quality.push({ who: `PyTorch ${torch.torch}, ${torch.threads} thread(s)`, ...scores, ...torch });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
classifier.model.dispose();

console.log(`\n## DCGAN training step (${machine}; Node ${process.version}, tfjs ${tf.version.tfjs})\n`);
console.log(
  '| backend | batch | first port: s/step | Neurona: s/step | speed-up | images/s | s per Fashion-MNIST epoch |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results.speed) {
  console.log(
    `| ${r.backend} | ${r.batchSize} | ${f(r.naiveSecondsPerStep, 3)} | ${f(r.secondsPerStep, 3)} | ${f(r.speedup)}× | ${f(r.imagesPerSec, 1)} | ${f(r.secondsPerFashionEpoch, 0)} |`,
  );
}
console.log(
  `\n## Quality after ${opts.steps} steps of batch ${batchSize} on the same ${trainCount.toLocaleString('en-US')} ${dataName} images (Adam ${settings.learningRate}, β1 ${settings.beta1}); ${opts.scoreImages} images scored by Neurona's scorer (classifier test accuracy ${f(classifier.info.testAccuracy, 4)})\n`,
);
console.log('| | Fréchet distance | classifier score | class spread (nats) | s/step | images/s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results.quality) {
  const perStep = r.secondsPerStep ?? (r.seconds !== undefined ? r.seconds / r.steps : undefined);
  console.log(
    `| ${r.who} | ${f(r.frechetDistance)} | ${f(r.classifierScore)} | ${f(r.classSpread)} | ${perStep === undefined ? '' : f(perStep, 3)} | ${r.imagesPerSec === undefined ? '' : f(r.imagesPerSec, 1)} |`,
  );
}
const [ours, torch] = [results.quality[2], results.quality[3]];
if (torch) {
  results.ratio = {
    speed: ours.imagesPerSec / torch.imagesPerSec,
    distance: ours.frechetDistance / torch.frechetDistance,
  };
  console.log(
    `\nNeurona on wasm trains ${f(results.ratio.speed)}× as many images per second as PyTorch on one thread; its Fréchet distance is ${f(results.ratio.distance)}× PyTorch's after the same steps.`,
  );
}
if (opts.json) await writeFile(opts.json, `${JSON.stringify(results, null, 2)}\n`);
