#!/usr/bin/env node
// node bench/profile.mjs MODEL [BACKEND] [WASM_THREADS]: where one training step spends its time, per kernel.
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { makeModel } from './models.mjs';

const [name = 'mnist-cnn', backend = 'wasm', threads] = process.argv.slice(2);
await useBackend(backend, { log: false, ...(threads ? { wasmThreads: Number(threads) } : {}) });
const { spec, model, rng } = makeModel(name);
const [x, y] = spec.batch(spec.batchSize, rng);
// Warm: the first steps pay for the heap growing and the JIT.
for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
const t0 = performance.now();
const info = await tf.profile(() => model.trainOnBatch(x, y));
const wall = performance.now() - t0;
const byKernel = new Map();
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls += 1;
  byKernel.set(k.name, entry);
}
const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(
  `${name} on ${backend}, batch ${spec.batchSize}: one step ${wall.toFixed(0)} ms wall (profiled), kernels ${total.toFixed(0)} ms`,
);
for (const [k, e] of rows.slice(0, 15))
  console.log(`${k.padEnd(24)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.calls).padStart(4)} calls`);
