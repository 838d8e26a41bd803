#!/usr/bin/env node
// pnpm bench:datasets: time to load each data set from disk into float32 tensors, and the
// process's peak memory against the size of those tensors. Each load runs in a child
// process of its own, so peaks do not mix. Fashion-MNIST is Debian's copy
// (apt-get install dataset-fashion-mnist); CIFAR-10 is a synthetic file of the real size
// and layout (the real archive cannot be downloaded here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [mode, name, dir] = process.argv.slice(2);

if (mode === '--child') {
  const tf = await import('@tensorflow/tfjs');
  const { imagesToTensor } = await import('@neurona/preprocessing');
  const { loadIdxDataset, loadCifar10Folder } = await import('@neurona/datasets/node');
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const data =
    name === 'fashion-mnist'
      ? await loadIdxDataset('fashion-mnist', { path: dir, download: false })
      : await loadCifar10Folder(dir);
  const x = imagesToTensor(data.train);
  const xt = imagesToTensor(data.test);
  const seconds = (performance.now() - t0) / 1000;
  const tensorBytes = (x.size + xt.size) * 4;
  const peak = process.resourceUsage().maxRSS * 1024 - baseline;
  console.log(
    JSON.stringify({ name, seconds, images: data.train.count + data.test.count, tensorBytes, peakBytes: peak }),
  );
  tf.dispose([x, xt]);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const runs = [];
const debian = '/usr/share/datasets/fashion-mnist';
if (existsSync(join(debian, 'train-images-idx3-ubyte.gz'))) runs.push(['fashion-mnist', debian]);
else console.error(`fashion-mnist skipped: ${debian} is absent (apt-get install dataset-fashion-mnist)`);

const cifar = join(mkdtempSync(join(tmpdir(), 'neurona-cifar-bench-')), 'cifar-10-batches-bin');
mkdirSync(cifar);
const record = 3073;
for (const [file, count] of [
  ['data_batch_1.bin', 10000],
  ['data_batch_2.bin', 10000],
  ['data_batch_3.bin', 10000],
  ['data_batch_4.bin', 10000],
  ['data_batch_5.bin', 10000],
  ['test_batch.bin', 10000],
]) {
  const bytes = new Uint8Array(count * record);
  for (let r = 0; r < count; r++) bytes[r * record] = r % 10;
  for (let i = 0; i < bytes.length; i++) if (i % record) bytes[i] = (i * 31) & 255;
  writeFileSync(join(cifar, file), bytes);
}
runs.push(['cifar10 (synthetic, real size)', cifar]);

const results = runs.map(([label, path]) => {
  const out = execFileSync(process.execPath, [self, '--child', label.startsWith('cifar') ? 'cifar10' : label, path], {
    encoding: 'utf8',
  });
  return { label, ...JSON.parse(out.trim().split('\n').pop()) };
});
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(`\nLoading into float32 tensors (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`);
console.log('| data set | images | seconds | tensors | peak memory | peak / tensors |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.label} | ${r.images.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${mb(r.tensorBytes)} | ${mb(r.peakBytes)} | ${(r.peakBytes / r.tensorBytes).toFixed(2)}× |`,
  );
}
