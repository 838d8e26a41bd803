import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChecksumError,
  DataFormatError,
  type DatasetEntry,
  DownloadError,
  encodeIdxUint8,
  FileNotFoundError,
  getDataset,
} from '../src/index.js';
import { debianFashionMnistDir, downloadFile, loadIdxDataset, locateDataset } from '../src/node.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// Four tiny IDX files served by a server on 127.0.0.1, as a data set's canonical location.
const files: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte.gz': gzipSync(
    encodeIdxUint8(
      [6, 2, 2],
      Uint8Array.from({ length: 24 }, (_, i) => i),
    ),
  ),
  'train-labels-idx1-ubyte.gz': gzipSync(encodeIdxUint8([6], Uint8Array.from([0, 1, 2, 3, 4, 5]))),
  't10k-images-idx3-ubyte.gz': gzipSync(
    encodeIdxUint8(
      [2, 2, 2],
      Uint8Array.from({ length: 8 }, (_, i) => 100 + i),
    ),
  ),
  't10k-labels-idx1-ubyte.gz': gzipSync(encodeIdxUint8([2], Uint8Array.from([7, 8]))),
};

let server: Server;
let base: string;
const ranges: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/silent/')) return; // never answers: the client must time out
    const name = path.split('/').pop() as string;
    let body = files[name];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    if (path.startsWith('/wrong/')) body = Uint8Array.from(body, (b, i) => (i === 20 ? b ^ 1 : b));
    ranges.push(req.headers.range);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      const start = Number(m[1]);
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(Buffer.from(body.subarray(start)));
      return;
    }
    res.writeHead(200).end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function entry(prefix = ''): DatasetEntry {
  return {
    name: 'tiny',
    description: 'test',
    licence: 'test',
    citation: 'test',
    systemDirs: [],
    files: Object.entries(files).map(([name, bytes]) => ({
      name,
      urls: [`${base}${prefix}/tiny/${name}`],
      bytes: bytes.length,
      sha256: sha(bytes),
    })),
  };
}

describe('downloads and sources', () => {
  it('downloads into the cache, verified, and finds the cache the next time without the network', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-cache-'));
    const progress: number[] = [];
    const first = await locateDataset(entry(), { cacheDir, onProgress: (received) => progress.push(received) });
    expect(first.source).toBe('download');
    expect(first.tried[0]).toBe(`cache ${join(cacheDir, 'tiny')}: missing ${Object.keys(files).join(', ')}`);
    expect((await readdir(join(cacheDir, 'tiny'))).sort()).toEqual(Object.keys(files).sort());
    expect(progress.at(-1)).toBeGreaterThan(0);
    const second = await locateDataset(entry('/silent'), { cacheDir, timeoutMs: 200 });
    expect(second.source).toBe('cache');
  });

  it('resumes a partial download with a Range request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-resume-'));
    const file = entry().files[0] as DatasetEntry['files'][number];
    const body = files[file.name] as Uint8Array;
    await writeFile(join(dir, `.${file.name}.partial`), body.subarray(0, 10));
    ranges.length = 0;
    await downloadFile(file, dir);
    expect(ranges).toEqual(['bytes=10-']);
    expect(sha(await readFile(join(dir, file.name)))).toBe(file.sha256);
    expect(existsSync(join(dir, `.${file.name}.partial`))).toBe(false);
  });

  it('moves a download with the wrong checksum aside and says so, never into place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-bad-'));
    const file = { ...(entry().files[0] as DatasetEntry['files'][number]) };
    file.urls = [`${base}/wrong/tiny/${file.name}`];
    await expect(downloadFile(file, dir)).rejects.toThrow(/SHA-256 is [0-9a-f]{64}, expected [0-9a-f]{64}/);
    const left = await readdir(dir);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^${file.name.replaceAll('.', '\\.')}\\.corrupt-\\d+$`))]);
    await expect(downloadFile(file, dir)).rejects.toThrow('moved aside to');
  });

  it('gives up on a silent server and lists every place tried with the fix', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-offline-'));
    const started = Date.now();
    const error = await locateDataset(entry('/silent'), { cacheDir, timeoutMs: 300 }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(String(error)).toContain(`tiny: not found. Tried:\n  cache ${join(cacheDir, 'tiny')}: missing`);
    expect(String(error)).toContain('no data for 0 s (timed out)');
    expect(String(error)).toContain("Fix: run 'neurona data fetch tiny' where the network is reachable");
    expect(FileNotFoundError.isInstance(error) && error.path).toBe(join(cacheDir, 'tiny'));
  });

  it('a download that fails is a DownloadError with the HTTP status; one that arrives wrong a ChecksumError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-404-'));
    const file = { ...(entry().files[0] as DatasetEntry['files'][number]), urls: [`${base}/nothing/here.gz`] };
    const missing = await downloadFile(file, dir).catch((e: unknown) => e);
    expect(DownloadError.isInstance(missing) && [missing.url, missing.status]).toEqual([file.name, 404]);
    expect(String(missing)).toContain(`${base}/nothing/here.gz: HTTP 404`);
    file.urls = [`${base}/wrong/tiny/${file.name}`];
    const wrong = await downloadFile(file, dir).catch((e: unknown) => e);
    expect([
      ChecksumError.isInstance(wrong),
      DataFormatError.isInstance(wrong),
      DownloadError.isInstance(wrong),
    ]).toEqual([true, true, false]);
  });

  it('falls back to the bundled sample only when allowed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-sample-'));
    const offline = { ...getDataset('fashion-mnist'), systemDirs: [] };
    await expect(locateDataset(offline, { cacheDir, download: false })).rejects.toThrow('fashion-mnist: not found');
    const sample = await locateDataset(offline, { cacheDir, download: false, allowSample: true });
    expect(sample.source).toBe('sample');
    expect(sample.tried.at(-1)).toContain('(a sample, not the full data set)');
  });

  it('names an unknown data set', () => {
    expect(() => getDataset('imagenet')).toThrow("'imagenet' is not a known data set; known: mnist, fashion-mnist");
  });
});

describe.skipIf(!existsSync(join(debianFashionMnistDir, 'train-images-idx3-ubyte.gz')))('loadIdxDataset', () => {
  it('finds Fashion-MNIST in Debian’s folder when the cache is empty, checksums verified', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'neurona-empty-'));
    await mkdir(join(cacheDir, 'fashion-mnist'));
    const data = await loadIdxDataset('fashion-mnist', { cacheDir, download: false });
    expect(data.located.source).toBe('system');
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
  });
});
