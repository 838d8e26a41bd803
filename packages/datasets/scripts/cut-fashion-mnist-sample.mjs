#!/usr/bin/env node
// Cuts the bundled Fashion-MNIST sample from the real data set, once:
// the first 8,000 training and the first 2,000 test examples, kept in the real IDX
// format (gzip, level 9, no timestamp) with a manifest of counts and SHA-256 checksums
// of the decompressed bytes. The source is Debian's `dataset-fashion-mnist` package
// (`apt-get install dataset-fashion-mnist`), or a folder given as the first argument.
//
//   node packages/datasets/scripts/cut-fashion-mnist-sample.mjs [/usr/share/datasets/fashion-mnist]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const out = fileURLToPath(new URL('../data/fashion-mnist-sample/', import.meta.url));
const splits = { train: 8000, t10k: 2000 };

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const manifest = { source: 'Fashion-MNIST (Zalando Research), MIT licence', cutFrom: {}, files: {} };

for (const [split, count] of Object.entries(splits)) {
  for (const kind of ['images-idx3', 'labels-idx1']) {
    const name = `${split}-${kind}-ubyte.gz`;
    const raw = gunzipSync(readFileSync(join(source, name)));
    manifest.cutFrom[name] = { sha256: sha256(raw), bytes: raw.length };
    const rank = raw[3];
    const header = 4 + 4 * rank;
    const itemBytes = kind.startsWith('images') ? raw.readUInt32BE(8) * raw.readUInt32BE(12) : 1;
    const cut = Buffer.concat([raw.subarray(0, header), raw.subarray(header, header + count * itemBytes)]);
    cut.writeUInt32BE(count, 4);
    const gz = gzipSync(cut, { level: 9 });
    writeFileSync(join(out, name), gz);
    manifest.files[name] = { count, sha256: sha256(cut), bytes: cut.length, gzipBytes: gz.length };
  }
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(JSON.stringify(manifest.files, null, 2));
