import { DownloadError } from '@neurona/errors';
import { ChecksumError, sha256Hex } from './checksum.js';
import { gunzip, isGzip } from './formats/gunzip.js';
import type { LabelledSplit } from './image-set.js';
import { mnistClassNames, readIdxSplits } from './mnist-family.js';
import { getDataset } from './registry.js';

/** What a verified fetch checks (the digests of the bytes as served and decompressed) and where it caches them. */
export interface FetchVerifiedOptions {
  /** SHA-256 of the bytes as served. */
  sha256?: string;
  /** SHA-256 after gunzip, which also holds when a server already decompressed the file. */
  sha256Decompressed?: string;
  /** Cache API cache to keep verified files in; `false` keeps none. Default `'neurona-datasets'`. */
  cacheName?: string | false;
  fetch?: typeof globalThis.fetch;
}

async function verified(bytes: Uint8Array, source: string, options: FetchVerifiedOptions): Promise<Uint8Array> {
  if (options.sha256Decompressed) {
    const raw = isGzip(bytes) ? await gunzip(bytes, source) : bytes;
    const actual = await sha256Hex(raw);
    if (actual !== options.sha256Decompressed) throw new ChecksumError(source, options.sha256Decompressed, actual);
    return raw;
  }
  if (options.sha256) {
    const actual = await sha256Hex(bytes);
    if (actual !== options.sha256) throw new ChecksumError(source, options.sha256, actual);
  }
  return isGzip(bytes) ? gunzip(bytes, source) : bytes;
}

/**
 * Fetches a data file in a browser (or anywhere with `fetch`), checks its SHA-256, and
 * keeps it in the Cache API so the next visit reads it from disk. A cached copy that no
 * longer matches is dropped and fetched again. Returns the decompressed bytes.
 */
export async function fetchVerified(url: string | URL, options: FetchVerifiedOptions = {}): Promise<Uint8Array> {
  const source = String(url);
  const cacheName = options.cacheName ?? 'neurona-datasets';
  const cache = cacheName && typeof caches !== 'undefined' ? await caches.open(cacheName) : undefined;
  const hit = await cache?.match(source);
  if (hit) {
    try {
      return await verified(new Uint8Array(await hit.arrayBuffer()), `${source} (cached)`, options);
    } catch {
      await cache?.delete(source);
    }
  }
  const response = await (options.fetch ?? globalThis.fetch.bind(globalThis))(source);
  if (!response.ok) throw new DownloadError(source, `HTTP ${response.status} ${response.statusText}`, response.status);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const out = await verified(bytes, source, options);
  await cache?.put(source, new Response(bytes as Uint8Array<ArrayBuffer>));
  return out;
}

/**
 * MNIST or Fashion-MNIST in a browser: the four files fetched from `baseUrl` (where the
 * app serves them), each checked against the registry's SHA-256 and kept in the Cache API.
 */
export function fetchIdxDataset(
  name: 'mnist' | 'fashion-mnist',
  options: { baseUrl: string | URL; fetch?: typeof globalThis.fetch; cacheName?: string | false },
): Promise<LabelledSplit> {
  const entry = getDataset(name);
  const base = String(options.baseUrl).replace(/\/?$/, '/');
  return readIdxSplits(
    (file) => {
      const spec = entry.files.find((f) => f.name === file);
      return fetchVerified(new URL(file, new URL(base, globalThis.location?.href ?? 'http://localhost/')), {
        sha256: spec?.sha256 as string,
        ...(spec?.sha256Decompressed ? { sha256Decompressed: spec.sha256Decompressed } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.cacheName !== undefined ? { cacheName: options.cacheName } : {}),
      });
    },
    async (bytes) => bytes,
    {
      describe: (file) => `${base}${file}`,
      ...(name === 'mnist' ? { classNames: mnistClassNames } : {}),
    },
  );
}
