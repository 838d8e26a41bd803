// README example of @neurona/augmentation: one augmented batch, then a dataset for fitDataset.
import { augmentedBatches, augmentImages } from '@neurona/augmentation';
import { createRng } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';

const augment = {
  rotationRange: 40,
  widthShiftRange: 0.2,
  heightShiftRange: 0.2,
  shearRange: 20,
  zoomRange: 0.2,
  horizontalFlip: true,
  fillMode: 'nearest',
  rescale: 1 / 255,
} as const;
const images = tf.randomUniform([4, 16, 16, 3], 0, 255, 'float32', 1);
const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
const batch = augmentImages(images, augment, createRng(1));
const max = batch.max().dataSync()[0] ?? Number.NaN;
if (batch.shape.join() !== '4,16,16,3' || !(max <= 1.0001)) throw new Error(`batch ${batch.shape}, max ${max}`);
let batches = 0;
await augmentedBatches(images, labels, { batchSize: 2, augment, rng: createRng(1) })
  .take(2)
  .forEachAsync((b) => {
    batches += 1;
    tf.dispose(b as tf.TensorContainer);
  });
tf.dispose([images, labels, batch]);
if (batches !== 2) throw new Error(`${batches} batches`);
console.log(`augmentation: a 4×16×16×3 batch rescaled to ≤ ${max.toFixed(3)}, ${batches} batches from the dataset`);
