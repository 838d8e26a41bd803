import sample from '../data/fashion-mnist-sample/manifest.json';
import { verifySha256 } from './checksum.js';
import { fetchVerified } from './fetch-cache.js';
import { parseIdx } from './idx.js';
import type { ImageSet, LabelledSplit } from './image-set.js';
import { imageSetFromIdx } from './image-set.js';

/** Fashion-MNIST's ten classes, in label order. */
export const fashionMnistClassNames = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** MNIST's ten classes: the digits. */
export const mnistClassNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The four IDX files of MNIST-style data sets, by split. */
export const idxFileNames = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

/**
 * The bundled sample: the first 8,000 training and 2,000 test images of the real
 * Fashion-MNIST (MIT licence), with SHA-256 checksums of the decompressed files.
 */
export const fashionMnistSample = sample;

type SampleFile = keyof typeof sample.files;

/** Reads the two splits from a function that returns a file's (possibly gzipped) bytes. */
export async function readIdxSplits(
  readFile: (name: string) => Promise<Uint8Array>,
  decompress: (bytes: Uint8Array, name: string) => Promise<Uint8Array>,
  options: {
    describe: (name: string) => string;
    checksums?: Partial<Record<string, string>>;
    classNames?: readonly string[];
  },
): Promise<LabelledSplit> {
  const classNames = options.classNames ?? fashionMnistClassNames;
  const load = async (name: string) => {
    const source = options.describe(name);
    const bytes = await decompress(await readFile(name), source);
    const expected = options.checksums?.[name];
    if (expected) await verifySha256(bytes, expected, source);
    return parseIdx(bytes, source);
  };
  const split = async (files: { images: string; labels: string }): Promise<ImageSet> => {
    const [images, labels] = await Promise.all([load(files.images), load(files.labels)]);
    return imageSetFromIdx(
      images,
      labels,
      { images: options.describe(files.images), labels: options.describe(files.labels) },
      10,
    );
  };
  const [train, test] = await Promise.all([split(idxFileNames.train), split(idxFileNames.test)]);
  return { train, test, classNames };
}

export const sampleChecksums: Record<string, string> = Object.fromEntries(
  (Object.keys(sample.files) as SampleFile[]).map((name) => [name, sample.files[name].sha256]),
);

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
