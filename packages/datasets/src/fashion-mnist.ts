import sample from '../data/fashion-mnist-sample/manifest.json';
import { fetchVerified } from './fetch-cache.js';
import type { LabelledSplit } from './image-set.js';
import { readIdxSplits } from './mnist-family.js';

/**
 * The bundled sample: the first 8,000 training and 2,000 test images of the real
 * Fashion-MNIST (MIT licence), with SHA-256 checksums of the decompressed files.
 */
export const fashionMnistSample = sample;

type SampleFile = keyof typeof sample.files;

export const sampleChecksums: Record<string, string> = Object.fromEntries(
  (Object.keys(sample.files) as SampleFile[]).map((name) => [name, sample.files[name].sha256]),
);

/** Where a browser fetches the bundled Fashion-MNIST sample from. */
export interface FetchSampleOptions {
  /** URL of the folder that serves the sample's four .gz files. */
  baseUrl: string | URL;
  fetch?: typeof globalThis.fetch;
  /** Cache API cache for the verified files; `false` for none. Default `'neurona-datasets'`. */
  cacheName?: string | false;
}

/**
 * Loads the bundled Fashion-MNIST sample over HTTP (in a browser, or anywhere with
 * `fetch`), checking every file's SHA-256 and keeping the files in the Cache API.
 */
export function fetchFashionMnistSample(options: FetchSampleOptions): Promise<LabelledSplit> {
  const base = String(options.baseUrl).replace(/\/?$/, '/');
  return readIdxSplits(
    (name) =>
      fetchVerified(new URL(name, new URL(base, globalThis.location?.href ?? 'http://localhost/')), {
        sha256Decompressed: sampleChecksums[name] as string,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.cacheName !== undefined ? { cacheName: options.cacheName } : {}),
      }),
    // fetchVerified returns decompressed bytes, checked.
    async (bytes) => bytes,
    { describe: (name) => `${base}${name}` },
  );
}
