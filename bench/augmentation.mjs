#!/usr/bin/env node
// pnpm bench:augmentation [--backends wasm,cpu] [--json FILE]
// Augmenting a batch of 32 images of 150×150×3 (the Dogs vs Cats size, every transform of
// book ch. 11 on) against one training step of the ch-10 CNN on that batch, per backend:
// augmentation must cost less than the step it feeds.
import { writeFileSync } from 'node:fs';
import { augmentImages } from '@neurona/augmentation';
import { createRng } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { makeModel } from './models.mjs';

const options = new Command('bench:augmentation')
  .option('--backends <list>', 'backends to time', 'wasm,cpu')
  .option('--repeats <n>', 'augmentation batches to time', '5')
  .option(
    '--cpu-train-batch <n>',
    'images in the timed training step on cpu (a full batch takes about half an hour)',
    '2',
  )
  .option('--json <file>', 'also write the records to FILE')
  .parse()
  .opts();

const augment = {
  rotationRange: 40,
  widthShiftRange: 0.2,
  heightShiftRange: 0.2,
  shearRange: 20,
  zoomRange: 0.2,
  horizontalFlip: true,
  fillMode: 'nearest',
  rescale: 1 / 255,
};
const batch = 32;
const records = [];
for (const backend of options.backends.split(',')) {
  await useBackend(backend, { log: false });
  const rng = createRng(1);
  const images = tf.randomUniform([batch, 150, 150, 3], 0, 255, 'float32', 1);
  const once = async () => {
    const out = augmentImages(images, augment, rng);
    await out.data();
    out.dispose();
  };
  await once();
  const repeats = Number(options.repeats);
  let t0 = performance.now();
  for (let i = 0; i < repeats; i++) await once();
  const augmentMs = (performance.now() - t0) / repeats;

  const { model } = makeModel('dogs-cats-cnn');
  const x = tf.div(images, 255);
  const y = tf.tensor2d(
    Array.from({ length: batch }, (_, i) => i % 2),
    [batch, 1],
  );
  // The CPU backend takes minutes per image here: time a smaller step and scale it to the
  // batch (a convolution step's cost grows linearly with the batch), and say so.
  const trainBatch = backend === 'cpu' ? Number(options.cpuTrainBatch) : batch;
  const [tx, ty] = [x.slice(0, trainBatch), y.slice(0, trainBatch)];
  if (backend !== 'cpu') await model.trainOnBatch(x.slice(0, 2), y.slice(0, 2)); // warm-up
  t0 = performance.now();
  await model.trainOnBatch(tx, ty);
  const trainMs = ((performance.now() - t0) * batch) / trainBatch;
  tf.dispose([tx, ty]);
  tf.dispose([images, x, y]);
  const optimizer = model.optimizer;
  model.dispose();
  optimizer.dispose();
  records.push({
    backend,
    batch,
    augmentMs,
    trainStepMs: trainMs,
    timedTrainBatch: trainBatch,
    ratio: augmentMs / trainMs,
  });
  console.error(`${backend}: augment ${augmentMs.toFixed(1)} ms, train step ${trainMs.toFixed(0)} ms`);
}

console.log(
  `\nAugmenting ${batch} images of 150×150×3 vs one training step of the ch-10 Dogs vs Cats CNN (tfjs ${tf.version.tfjs}, Node ${process.version})\n`,
);
console.log('| backend | augment a batch (ms) | training step (ms) | augment / step |');
console.log('| --- | --- | --- | --- |');
for (const r of records) {
  const scaled = r.timedTrainBatch === r.batch ? '' : ` (timed on ${r.timedTrainBatch}, scaled to ${r.batch})`;
  console.log(
    `| ${r.backend} | ${r.augmentMs.toFixed(1)} | ${Math.round(r.trainStepMs).toLocaleString('en-US')}${scaled} | ${(100 * r.ratio).toFixed(2)}% |`,
  );
}
if (options.json) writeFileSync(options.json, `${JSON.stringify(records, null, 2)}\n`);
