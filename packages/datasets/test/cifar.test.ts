import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES, parseCifarBatch } from '../src/index.js';
import { extractCifarArchive, loadCifar10, loadCifar10Folder } from '../src/node.js';

/** `count` records; record r has label r % 10 and red = r, green = 100 + r, blue = 200 + p % 50 at pixel p. */
function batch(count: number, first = 0) {
  const bytes = new Uint8Array(count * CIFAR_RECORD_BYTES);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    bytes[at] = (first + r) % 10;
    for (let p = 0; p < 1024; p++) {
      bytes[at + 1 + p] = first + r;
      bytes[at + 1 + 1024 + p] = 100 + first + r;
      bytes[at + 1 + 2048 + p] = 200 + (p % 50);
    }
  }
  return bytes;
}

async function batchesIn(dir: string) {
  await mkdir(dir, { recursive: true });
  for (let i = 1; i <= 5; i++) await writeFile(join(dir, `data_batch_${i}.bin`), batch(3, 3 * (i - 1)));
  await writeFile(join(dir, 'test_batch.bin'), batch(2, 50));
}

describe('CIFAR-10 binary batches', () => {
  it('parse records into channels-last images and labels', () => {
    const set = parseCifarBatch(batch(2));
    expect([set.count, set.height, set.width, set.channels]).toEqual([2, 32, 32, 3]);
    expect(Array.from(set.labels)).toEqual([0, 1]);
    // Image 1, pixel 7: (red, green, blue) = (1, 101, 207).
    const at = (1 * 1024 + 7) * 3;
    expect(Array.from(set.images.subarray(at, at + 3))).toEqual([1, 101, 207]);
  });

  it('name a file whose length is not whole records, and a record with a bad label', () => {
    expect(() => parseCifarBatch(batch(2).subarray(0, 5000), 'data_batch_1.bin')).toThrow(
      'data_batch_1.bin: expected whole 3073-byte records; the file has 5000 bytes (1 records and 1927 bytes over)',
    );
    const bad = batch(3);
    bad[2 * CIFAR_RECORD_BYTES] = 12;
    expect(() => parseCifarBatch(bad, 'test_batch.bin')).toThrow('test_batch.bin: record 2 has label 12, outside 0..9');
  });

  it('load the six batches from a folder or its cifar-10-batches-bin, and from an extracted archive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-cifar-'));
    await batchesIn(join(dir, 'cifar-10-batches-bin'));
    const data = await loadCifar10Folder(dir);
    expect([data.train.count, data.test.count]).toEqual([15, 2]);
    expect(Array.from(data.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
    expect(data.classNames[3]).toBe('cat');

    const archive = join(dir, 'cifar-10-binary.tar.gz');
    await createTar({ gzip: true, file: archive, cwd: dir }, ['cifar-10-batches-bin']);
    const cache = join(dir, 'cache', 'cifar10');
    await extractCifarArchive(archive, cache);
    expect((await loadCifar10Folder(cache)).test.count).toBe(2);
    expect((await loadCifar10({ cacheDir: join(dir, 'cache'), download: false })).located.source).toBe('cache');
  });

  it('refuse an archive in the cache whose checksum is not the registered one', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-cifar-'));
    await mkdir(join(cacheDir, 'cifar10'));
    await writeFile(join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz'), 'not the archive');
    await expect(loadCifar10({ cacheDir, download: false })).rejects.toThrow(
      `${join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz')}: SHA-256 is`,
    );
    await expect(loadCifar10Folder(cacheDir)).rejects.toThrow('holds neither the six CIFAR-10 .bin batches');
  });
});
