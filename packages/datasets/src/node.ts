// Node-only loaders: files on disk, native zlib.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readIdxSplits, sampleChecksums } from './fashion-mnist.js';
import { isGzip } from './gunzip.js';
import type { IdxArray } from './idx.js';
import { parseIdx } from './idx.js';
import type { LabelledSplit } from './image-set.js';

/** Where the bundled Fashion-MNIST sample lies on disk (the package's `data/` folder). */
export const fashionMnistSampleDir = fileURLToPath(new URL('../data/fashion-mnist-sample/', import.meta.url));

/** Where Debian's `dataset-fashion-mnist` package installs the full data set. */
export const debianFashionMnistDir = '/usr/share/datasets/fashion-mnist';

async function decompress(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new Error(`${source}: not valid gzip data or truncated (${(error as Error).message})`);
  }
}

async function readNamed(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot be read (${(error as Error).message})`,
    );
  }
}

/** Reads one IDX file, gzipped or plain. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  return parseIdx(await decompress(await readNamed(path), path), path);
}

/**
 * Reads Fashion-MNIST (or MNIST) from a folder holding the four standard IDX files,
 * gzipped as published. Debian recompressed its copies, so checksums, where given, are
 * of the decompressed bytes.
 */
export function loadIdxFolder(
  dir: string,
  options: { checksums?: Record<string, string> } = {},
): Promise<LabelledSplit> {
  return readIdxSplits((name) => readNamed(join(dir, name)), decompress, {
    describe: (name) => join(dir, name),
    ...(options.checksums ? { checksums: options.checksums } : {}),
  });
}

/** Loads the bundled sample: 8,000 training and 2,000 test images, checksums verified. */
export function loadFashionMnistSample(): Promise<LabelledSplit> {
  return loadIdxFolder(fashionMnistSampleDir, { checksums: sampleChecksums });
}
export type { DogsVsCatsSplitOptions } from './dogs-vs-cats.js';
export { makeDogsVsCatsSplit } from './dogs-vs-cats.js';
export type { RawImage, ReadImageOptions } from './image-file.js';
export { loadSharp, readImage } from './image-file.js';
