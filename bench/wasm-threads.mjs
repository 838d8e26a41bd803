#!/usr/bin/env node
import { registerWasmTrainingKernels } from '@neurona/core';
// Does tfjs's multi-threaded SIMD WASM build run under Node (worker_threads)?
// tfjs 4.22 reports WASM_HAS_MULTITHREAD_SUPPORT = false under Node (tfjs issue 3830);
// this forces the flag on, starts the backend, and times the ch-8 CNN if it starts.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { makeModel } from './models.mjs';

const threads = Number(process.argv[2] ?? 2);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
setThreadsCount(threads);
const started = await Promise.race([
  tf.setBackend('wasm').then(
    (ok) => (ok ? 'started' : 'failed'),
    (e) => `threw: ${e.message.split('\n')[0]}`,
  ),
  new Promise((resolve) => setTimeout(() => resolve('no answer within 20 s'), 20_000)),
]);
console.log(`threaded WASM under Node with ${threads} threads: ${started}`);
if (started === 'started') {
  registerWasmTrainingKernels();
  console.log(`threads in use: ${tf.backend().getThreadsCount?.() ?? 'unknown'}`);
  const { spec, model, rng } = makeModel('mnist-cnn');
  const [x, y] = spec.batch(spec.batchSize, rng);
  await model.trainOnBatch(x, y);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
  console.log(`mnist-cnn train: ${((5 * spec.batchSize) / ((performance.now() - t0) / 1000)).toFixed(0)} samples/s`);
}
process.exit(0);
