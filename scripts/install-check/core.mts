// README example of @neurona/core: the best Node backend, a Keras-style fit, a model saved to a folder.
import { createRng, EarlyStopping, fit } from '@neurona/core';
import { registerFileSystem, TerminalProgress, useBestBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';

await useBestBackend();
registerFileSystem();
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const x = tf.tensor2d([
  [0, 0],
  [1, 1],
  [0, 1],
  [1, 0],
]);
const y = tf.tensor2d([
  [1, 0],
  [0, 1],
  [1, 0],
  [0, 1],
]);
const history = await fit(model, x, y, {
  epochs: 5,
  batchSize: 2,
  rng: createRng(42),
  validationData: [x, y],
  callbacks: [new TerminalProgress(), new EarlyStopping({ patience: 2 })],
});
await model.save('file://./my-model');
tf.dispose([x, y]);
const losses = history.history.loss ?? [];
if (losses.length < 1 || !losses.every(Number.isFinite)) throw new Error(`fit gave no finite losses: ${losses}`);
console.log(`core: ${losses.length} epochs, loss ${losses.map((l) => l.toFixed(3)).join(' → ')}, model saved`);
