// README example of @neurona/gan, smaller: the book's DCGAN trained for two steps, then images from it.
import { createRng } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { dcganDiscriminator, dcganGenerator, generateImages, latentNoise, trainGan } from '@neurona/gan';
import * as tf from '@tensorflow/tfjs';

await useBackend('wasm');
const rng = createRng(1);
const generator = dcganGenerator({ rng });
const discriminator = dcganDiscriminator({ rng });
const images = tf.randomUniform([16, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
const run = await trainGan(images, {
  generator,
  discriminator,
  epochs: 1,
  batchSize: 8,
  learningRate: 2e-4,
  beta1: 0.5,
  seed: 1,
});
const noise = latentNoise(4, 100, 42);
const samples = generateImages(generator, noise);
const shape = samples.shape.join('×');
const dLoss = run.history.history.d_loss?.[0] ?? Number.NaN;
tf.dispose([images, noise, samples]);
run.dispose();
generator.dispose();
discriminator.dispose();
if (run.steps !== 2 || shape !== '4×28×28×1' || !Number.isFinite(dLoss))
  throw new Error(`${run.steps} steps, ${shape}, d_loss ${dLoss}`);
console.log(`gan: ${run.steps} steps, d_loss ${dLoss.toFixed(3)}, samples ${shape}`);
