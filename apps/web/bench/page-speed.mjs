#!/usr/bin/env node
// The page-level speed figure of the chapter-8 CNN: training images per second through the app's
// Web Worker and directly in the page (the engine yielding between batches), on each browser
// backend asked for, beside `neurona train` in Node on the same machine, in one run. The figure
// is the run's training throughput as the page reports it (its `trainSamplesPerSec`), on the
// Fashion-MNIST sample. Prints a table and writes JSON.
//
//   node apps/web/bench/page-speed.mjs [--backends wasm,webgl] [--epochs 2] [--train-limit 4000] [--json out.json]
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { launchChromium } from '@neurona/tooling/chromium';
import { build, preview } from 'vite';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgl' },
    recipe: { type: 'string', default: 'ch08-mnist-cnn' },
    epochs: { type: 'string', default: '2' },
    'train-limit': { type: 'string', default: '4000' },
    json: { type: 'string' },
  },
});
const backends = args.backends.split(',');
const allowed = ['webgpu', 'webgl', 'wasm', 'cpu'];
for (const b of backends) {
  if (!allowed.includes(b))
    throw new Error(`--backends: '${b}' is not a browser backend; allowed: ${allowed.join(', ')}`);
}
const epochs = Number(args.epochs);
const trainLimit = Number(args['train-limit']);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs is '${args.epochs}'; allowed: an integer >= 1`);
if (!Number.isInteger(trainLimit) || trainLimit < 100 || trainLimit > 8000)
  throw new Error(`--train-limit is '${args['train-limit']}'; allowed: an integer from 100 to 8000`);

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'neurona-page-speed-'));
await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
const url = server.resolvedUrls.local[0];
const browser = await launchChromium();
const rows = [];

/** One page run: the page's own figure for the run, and the longest gap between frames while it trained. */
async function pageRun(backend, worker) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const gaps = { longest: 0 };
    window.frameGaps = gaps;
    let last = performance.now();
    const tick = (now) => {
      if (window.fashion?.phase === 'training') gaps.longest = Math.max(gaps.longest, now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const query = `recipe=${args.recipe}&epochs=${epochs}&trainLimit=${trainLimit}&backend=${backend}${worker ? '' : '&worker=0'}`;
  await page.goto(`${url}fashion?${query}`);
  await page.waitForFunction(() => ['done', 'error'].includes(window.fashion?.phase ?? ''), null, {
    timeout: 1_800_000,
    polling: 200,
  });
  const view = await page.evaluate(() => ({ ...window.fashion, gap: window.frameGaps.longest }));
  const result = await page.textContent('#result');
  await page.close();
  if (view.phase !== 'done') throw new Error(`${query}: the page ended in ${view.phase}: ${result}`);
  const last = view.epochs.at(-1);
  return {
    where: worker ? 'worker' : 'page',
    backend: view.backend,
    samplesPerSecond: Number(/(\d+) training images\/s/.exec(result)?.[1]),
    lastEpochSamplesPerSecond: last.samplesPerSecond,
    testAccuracy: view.figures.testAccuracy,
    longestFrameGapMs: view.gap,
  };
}

for (const backend of backends) {
  for (const worker of [true, false]) rows.push({ runtime: 'chromium', ...(await pageRun(backend, worker)) });
}
await browser.close();
await new Promise((resolve) => server.httpServer.close(resolve));
await rm(outDir, { recursive: true, force: true });

// Node: the CLI on the same recipe and data, all 8,000 images (it has no training-image cap).
const runDir = await mkdtemp(join(tmpdir(), 'neurona-page-speed-cli-'));
await promisify(execFile)(process.execPath, [
  cli,
  'train',
  args.recipe,
  '--data',
  'fashion-mnist-sample',
  '--epochs',
  String(epochs),
  '--backend',
  'wasm',
  '--out',
  join(runDir, 'run'),
  '--force',
]);
const summary = JSON.parse(await readFile(join(runDir, 'run', 'summary.json'), 'utf8'));
await rm(runDir, { recursive: true, force: true });
rows.push({
  runtime: 'node (neurona train)',
  where: 'process',
  backend: summary.backend,
  samplesPerSecond: Math.round(summary.trainSamplesPerSec),
  lastEpochSamplesPerSecond: Number.NaN,
  testAccuracy: summary.testAccuracy,
  longestFrameGapMs: Number.NaN,
});

const node = rows.at(-1).samplesPerSecond;
console.log(
  `${args.recipe}, ${epochs} epochs of ${trainLimit} Fashion-MNIST images (Node: all 8,000); ${cpus().length} logical cores (${cpus()[0]?.model ?? '?'})\n`,
);
console.log('| runtime | runs in | backend | training images/s | vs Node | longest frame gap while training |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  const gap = Number.isFinite(r.longestFrameGapMs) ? `${Math.round(r.longestFrameGapMs)} ms` : '–';
  console.log(
    `| ${r.runtime} | ${r.where} | ${r.backend} | ${r.samplesPerSecond} | ${(r.samplesPerSecond / node).toFixed(2)}× | ${gap} |`,
  );
}
if (args.json)
  await writeFile(args.json, `${JSON.stringify({ recipe: args.recipe, epochs, trainLimit, rows }, null, 2)}\n`);
process.exit(0);
