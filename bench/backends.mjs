#!/usr/bin/env node
// pnpm bench:backends [--models dense,mnist-cnn,…] [--backends wasm,cpu,…] [--runtime node,chromium]
//                     [--wasm-threads 1,2,auto] [--seconds 3] [--json FILE] [--no-torch]
// Trains and predicts each model on each backend, in Node and/or in Debian's headless
// Chromium (WebGPU, WebGL, WASM, CPU), prints a table of samples per second and writes
// JSON records {model, backend, runtime, trainSamplesPerSec, predictSamplesPerSec}.
// Where Debian's python3-torch is importable, every model but the dense net and the Dogs vs Cats CNN is timed
// in PyTorch beside them (bench/torch_cnn.py: the same shapes, batch, loss and optimiser; one thread).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@neurona/core/node';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { measure } from './measure.mjs';
import { benchModels } from './models.mjs';

const options = new Command('bench:backends')
  .option('--models <list>', 'models to time', Object.keys(benchModels).join(','))
  .option(
    '--backends <list>',
    'backends to time (Node: tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu; Chromium: webgpu, webgl, wasm, cpu)',
    'wasm,cpu',
  )
  .option('--runtime <list>', 'node, chromium, or both', 'node')
  .option('--seconds <s>', 'time to spend per measurement', '3')
  .option(
    '--wasm-threads <list>',
    "the WASM backend's thread counts to time, or auto (core's default: every logical core), one row each (Node: a process each)",
    'auto',
  )
  .option('--json <file>', 'also write the records to FILE')
  .option('--no-torch', 'skip the PyTorch reference')
  .option('--child', 'internal: one Node thread setting, records to --json only')
  .parse()
  .opts();

const runtimes = options.runtime.split(',');
for (const r of runtimes) {
  if (!['node', 'chromium'].includes(r)) {
    console.error(`bench:backends: --runtime '${r}' is unknown; allowed: node, chromium`);
    process.exit(2);
  }
}
const models = options.models.split(',');
for (const m of models) {
  if (!benchModels[m]) {
    console.error(`bench:backends: --models '${m}' is unknown; allowed: ${Object.keys(benchModels).join(', ')}`);
    process.exit(2);
  }
}
const backends = options.backends.split(',');
const seconds = Number(options.seconds);
const records = [];
const skipped = [];

/** The Node rows of one backend (and, for wasm, one thread setting) in this process. */
async function measureNode(backend, threads) {
  let report;
  try {
    report = await useBackend(backend, {
      log: false,
      ...(backend === 'wasm' && threads !== 'auto' ? { wasmThreads: Number(threads) } : {}),
    });
  } catch (error) {
    skipped.push(`node/${backend}: ${error.message}`);
    return;
  }
  // The WASM rows say how many threads the backend got (tfjs's threaded build, started by core in Node).
  const detail = report.attempts.find((a) => a.outcome === 'chosen')?.detail;
  const label = detail ? `${backend} (${detail.split(':')[0]})` : backend;
  for (const name of models) {
    const record = { ...(await measure(name, seconds, tf)), backend: label, runtime: 'node' };
    records.push(record);
    console.error(
      `node ${label} ${name}: train ${record.trainSamplesPerSec.toFixed(1)}/s, predict ${record.predictSamplesPerSec.toFixed(0)}/s`,
    );
  }
}

if (runtimes.includes('node')) {
  const threadSettings = options.wasmThreads.split(',');
  for (const backend of backends) {
    if (backend !== 'wasm' || (threadSettings.length === 1 && !options.child)) {
      await measureNode(backend, threadSettings[0]);
      continue;
    }
    if (options.child) {
      await measureNode(backend, threadSettings[0]);
      continue;
    }
    // One process per thread setting: the WASM backend starts once per process.
    for (const threads of threadSettings) {
      const out = join(tmpdir(), `neurona-bench-${process.pid}-${threads}.json`);
      const args = [
        fileURLToPath(import.meta.url),
        '--runtime',
        'node',
        '--backends',
        'wasm',
        '--wasm-threads',
        threads,
      ];
      args.push('--models', models.join(','), '--seconds', String(seconds), '--no-torch', '--json', out, '--child');
      execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const child = JSON.parse(readFileSync(out, 'utf8'));
      records.push(...child.records);
      skipped.push(...child.skipped);
    }
  }
}

if (runtimes.includes('chromium')) {
  const { build, preview } = await import('vite');
  const { launchChromium } = await import('@neurona/tooling/chromium');
  const configFile = fileURLToPath(new URL('./vite.config.mjs', import.meta.url));
  await build({ configFile });
  const server = await preview({ configFile, preview: { host: '127.0.0.1', port: 0 } });
  const browser = await launchChromium({ webgpu: true });
  try {
    const runs = backends.flatMap((backend) =>
      backend === 'wasm' ? options.wasmThreads.split(',').map((threads) => [backend, threads]) : [[backend, 'auto']],
    );
    for (const [backend, threads] of runs) {
      // A fresh page per backend: tfjs keeps one active backend per page.
      const page = await browser.newPage();
      await page.goto(server.resolvedUrls.local[0]);
      await page.waitForSelector('body[data-state="ready"]');
      const used = await page.evaluate(
        ([b, t]) => window.neuronaBench.use(b, t).catch((e) => ({ error: e.message })),
        [backend, threads],
      );
      if (used.error) {
        skipped.push(`chromium/${backend}: ${used.error}`);
        await page.close();
        continue;
      }
      // The WASM rows say how many threads the page got (cross-origin isolated: the threaded build).
      const label = used.detail ? `${backend} (${used.detail.split(':')[0]})` : backend;
      for (const name of models) {
        const record = await page.evaluate(([m, s]) => window.neuronaBench.measure(m, s), [name, seconds]);
        records.push({ ...record, backend: label, runtime: 'chromium', crossOriginIsolated: used.isolated });
        console.error(
          `chromium ${label} ${name}: train ${record.trainSamplesPerSec.toFixed(1)}/s, predict ${record.predictSamplesPerSec.toFixed(0)}/s`,
        );
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  }
}

/** The model whose PyTorch twin a row is compared with (a tfjs-layer variant: its fused model's). */
const referenceOf = (model) => benchModels[model]?.reference ?? model;

let torch = [];
if (options.torch && !options.child) {
  try {
    const script = fileURLToPath(new URL('./torch_cnn.py', import.meta.url));
    const referenced = ['mnist-cnn', 'fashion-cnn', 'char-lstm', 'char-gru', 'dcgan-generator', 'dcgan-discriminator'];
    const cnns = [...new Set(models.map(referenceOf))].filter((m) => referenced.includes(m));
    if (cnns.length > 0) {
      torch = JSON.parse(
        execFileSync('/usr/bin/python3', [script, cnns.join(','), String(seconds)], { encoding: 'utf8' }),
      );
      records.push(...torch);
    }
  } catch (error) {
    skipped.push(`pytorch: ${String(error.message).split('\n')[0]} (apt-get install python3-torch)`);
  }
}

if (options.child) {
  writeFileSync(options.json, JSON.stringify({ records, skipped }));
  process.exit(0);
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
console.log(
  `\nSamples per second (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, tfjs ${tf.version.tfjs})\n`,
);
console.log('| model | batch | runtime | backend | train samples/s | predict samples/s | train vs PyTorch CPU |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of records) {
  const ref = torch.find((t) => t.model === referenceOf(r.model));
  const ratio =
    ref && r.runtime !== 'pytorch' ? `${((100 * r.trainSamplesPerSec) / ref.trainSamplesPerSec).toFixed(0)}%` : '';
  console.log(
    `| ${r.model} | ${r.batchSize} | ${r.runtime} | ${r.backend} | ${fmt(r.trainSamplesPerSec)} | ${fmt(r.predictSamplesPerSec)} | ${ratio} |`,
  );
}
for (const s of skipped) console.log(`skipped ${s}`);
if (options.json) writeFileSync(options.json, `${JSON.stringify(records, null, 2)}\n`);
