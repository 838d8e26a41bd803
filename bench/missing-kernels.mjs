#!/usr/bin/env node
// pnpm bench:kernels: trains every bench model for one step on the CPU backend under
// tf.profile, collects each kernel the step ran (forward and gradient), and lists, per
// backend, the ones that backend has no kernel for — before and after Neurona's WASM
// kernels are registered. Exits 1 if any model still misses a WASM kernel.
import { registerWasmTrainingKernels } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { benchModels, makeModel } from './models.mjs';

await useBackend('cpu', { log: false });
const used = {};
for (const name of Object.keys(benchModels)) {
  const { spec, model, rng } = makeModel(name);
  const [x, y] = spec.batch(1, rng); // one example: the CPU backend is slow, the kernel list is the same
  const info = await tf.profile(() => model.trainOnBatch(x, y));
  // Profile entries named `…__op` are op scopes, not kernels.
  used[name] = [...new Set(info.kernels.map((k) => k.name).filter((k) => !k.endsWith('__op')))].sort();
  tf.dispose([x, y]);
  model.dispose();
}

const missing = (backend) =>
  Object.fromEntries(Object.entries(used).map(([m, kernels]) => [m, kernels.filter((k) => !tf.getKernel(k, backend))]));
const print = (title, table) => {
  console.log(`\n${title}`);
  for (const [m, ks] of Object.entries(table)) console.log(`  ${m.padEnd(20)} ${ks.length ? ks.join(', ') : '-'}`);
};

const wasmBefore = missing('wasm');
await useBackend('wasm', { log: false }); // loads the WASM backend and registers our kernels
const ours = registerWasmTrainingKernels();
print("Kernels tfjs's WASM backend lacks for one training step:", wasmBefore);
print(`With Neurona's WASM kernels (${ours.join(', ')}):`, missing('wasm'));
print('WebGL lacks:', missing('webgl'));
print('WebGPU lacks:', missing('webgpu'));
console.log(`\nKernels used, by model:`);
for (const [m, ks] of Object.entries(used)) console.log(`  ${m.padEnd(20)} ${ks.join(' ')}`);
process.exit(Object.values(missing('wasm')).some((ks) => ks.length > 0) ? 1 : 0);
