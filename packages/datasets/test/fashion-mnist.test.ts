import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fashionMnistClassNames, fashionMnistSample, fetchFashionMnistSample } from '../src/index.js';
import { debianFashionMnistDir, fashionMnistSampleDir, loadFashionMnistSample, loadIdxFolder } from '../src/node.js';

function classCounts(labels: Uint8Array) {
  const counts = new Array(10).fill(0);
  for (const l of labels) counts[l] += 1;
  return counts;
}

describe('the bundled Fashion-MNIST sample', () => {
  it('has 8,000 training and 2,000 test images of 28×28 with every class present', async () => {
    const data = await loadFashionMnistSample();
    expect(data.train.count).toBe(8000);
    expect(data.test.count).toBe(2000);
    expect([data.train.height, data.train.width, data.train.channels]).toEqual([28, 28, 1]);
    expect(data.train.images.length).toBe(8000 * 784);
    expect(data.classNames).toEqual(fashionMnistClassNames);
    // Fashion-MNIST is balanced; a sample of 8,000 has 800 ± 100 of each class.
    for (const c of classCounts(data.train.labels)) expect(Math.abs(c - 800)).toBeLessThan(100);
    // The first training image of Fashion-MNIST is an ankle boot (label 9).
    expect(data.train.labels[0]).toBe(9);
  });

  it('loads over fetch with checksums, and names a file whose bytes changed', async () => {
    const serve = (mutate?: string) =>
      (async (url: URL | RequestInfo) => {
        const name = String(url).split('/').pop() as string;
        const bytes = await readFile(join(fashionMnistSampleDir, name));
        if (name === mutate) {
          const { gunzipSync, gzipSync } = await import('node:zlib');
          const raw = gunzipSync(bytes);
          raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 0xff, raw.length - 1);
          return new Response(gzipSync(raw));
        }
        return new Response(bytes);
      }) as typeof fetch;
    const data = await fetchFashionMnistSample({ baseUrl: 'http://localhost/data/', fetch: serve() });
    expect(data.test.count).toBe(2000);
    // A server that sends .gz with Content-Encoding: gzip hands over decompressed bytes.
    const { gunzipSync } = await import('node:zlib');
    const decompressed = (async (url: URL | RequestInfo) =>
      new Response(
        gunzipSync(await readFile(join(fashionMnistSampleDir, String(url).split('/').pop() as string))),
      )) as typeof fetch;
    const again = await fetchFashionMnistSample({ baseUrl: 'http://localhost/data/', fetch: decompressed });
    expect(Array.from(again.test.labels)).toEqual(Array.from(data.test.labels));
    await expect(
      fetchFashionMnistSample({ baseUrl: 'http://localhost/data/', fetch: serve('t10k-labels-idx1-ubyte.gz') }),
    ).rejects.toThrow(`http://localhost/data/t10k-labels-idx1-ubyte.gz: SHA-256 is `);
  });
});

const haveDebian = existsSync(join(debianFashionMnistDir, 'train-images-idx3-ubyte.gz'));

describe.skipIf(!haveDebian)('the real Fashion-MNIST from Debian (apt-get install dataset-fashion-mnist)', () => {
  it('loads 60,000 + 10,000 images whose decompressed bytes match the published checksums', async () => {
    const checksums = Object.fromEntries(
      Object.entries(fashionMnistSample.cutFrom).map(([name, { sha256 }]) => [name, sha256]),
    );
    const data = await loadIdxFolder(debianFashionMnistDir, { checksums });
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(classCounts(data.train.labels)).toEqual(new Array(10).fill(6000));
    expect(classCounts(data.test.labels)).toEqual(new Array(10).fill(1000));
    // The sample is exactly the head of the real files.
    const sample = await loadFashionMnistSample();
    expect(
      Buffer.compare(Buffer.from(sample.train.images), Buffer.from(data.train.images.subarray(0, 8000 * 784))),
    ).toBe(0);
  });
});

if (!haveDebian) {
  it.skip(`real Fashion-MNIST skipped: ${debianFashionMnistDir} is absent (apt-get install dataset-fashion-mnist)`, () => {});
}

describe('fetchIdxDataset', () => {
  it.skipIf(!haveDebian)('loads the full Fashion-MNIST over fetch with the registry checksums', async () => {
    const { fetchIdxDataset } = await import('../src/index.js');
    const serve = (async (url: URL | RequestInfo) =>
      new Response(
        await readFile(join(debianFashionMnistDir, String(url).split('/').pop() as string)),
      )) as typeof fetch;
    const data = await fetchIdxDataset('fashion-mnist', {
      baseUrl: 'http://localhost/fm/',
      fetch: serve,
      cacheName: false,
    });
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
  });
});
