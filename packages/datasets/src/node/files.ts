// Files on disk: IDX folders, the bundled sample and tables, with native zlib.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DataFormatError, FileNotFoundError, UnknownNameError } from '@neurona/errors';
import { ChecksumError } from '../checksum.js';
import { dataUrl } from '../data-url.js';
import { sampleChecksums } from '../fashion-mnist.js';
import { isGzip } from '../formats/gunzip.js';
import type { IdxArray } from '../formats/idx.js';
import { parseIdx } from '../formats/idx.js';
import type { BundledTable, TableRow } from '../formats/tables.js';
import { bundledTables, parseBundledTable } from '../formats/tables.js';
import type { LabelledSplit } from '../image-set.js';
import { mnistClassNames, readIdxSplits } from '../mnist-family.js';
import { getDataset } from '../registry.js';
import { sha256File } from './download.js';
import type { Located, LocateOptions } from './sources.js';
import { locateDataset } from './sources.js';

/** Where the bundled Fashion-MNIST sample lies on disk (the package's `data/` folder). */
export const fashionMnistSampleDir = fileURLToPath(new URL('fashion-mnist-sample/', dataUrl));

/** Where Debian's `dataset-fashion-mnist` package installs the full data set. */
export const debianFashionMnistDir = '/usr/share/datasets/fashion-mnist';

async function decompress(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DataFormatError(
      source,
      `not valid gzip data or truncated (${(error as Error).message})`,
      {},
      { cause: error },
    );
  }
}

async function readNamed(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileNotFoundError(path, `${path}: file not found`, { cause: error });
    throw new DataFormatError(path, `cannot be read (${(error as Error).message})`, {}, { cause: error });
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
  options: { checksums?: Record<string, string>; classNames?: readonly string[] } = {},
): Promise<LabelledSplit> {
  return readIdxSplits((name) => readNamed(join(dir, name)), decompress, {
    describe: (name) => join(dir, name),
    ...(options.checksums ? { checksums: options.checksums } : {}),
    ...(options.classNames ? { classNames: options.classNames } : {}),
  });
}

/**
 * Loads MNIST or Fashion-MNIST from wherever it is (your path, the cache, Debian's
 * folder, a verified download, or, with `allowSample`, the bundled sample), checking every
 * file's SHA-256, and says where it came from.
 */
export async function loadIdxDataset(
  name: 'mnist' | 'fashion-mnist',
  options: LocateOptions = {},
): Promise<LabelledSplit & { located: Located }> {
  if (name !== 'mnist' && name !== 'fashion-mnist') {
    throw new UnknownNameError('IDX data set', String(name), ['mnist', 'fashion-mnist'], { where: 'loadIdxDataset' });
  }
  const entry = getDataset(name);
  const classNames = name === 'mnist' ? mnistClassNames : undefined;
  let data: LabelledSplit | undefined;
  // Each source is read and verified where it is found: a corrupt copy is passed over for the next.
  const located = await locateDataset(entry, {
    ...options,
    accept: async (dir, source) => {
      if (source === 'sample') {
        data = await loadIdxFolder(dir, { checksums: sampleChecksums });
        return;
      }
      const decompressed: Record<string, string> = {};
      for (const f of entry.files) {
        if (f.sha256Decompressed) decompressed[f.name] = f.sha256Decompressed;
        else {
          // Only the served bytes' checksum is known: check the file as it is.
          const path = join(dir, f.name);
          const actual = await sha256File(path);
          if (actual !== f.sha256) throw new ChecksumError(path, f.sha256, actual);
        }
      }
      data = await loadIdxFolder(dir, { checksums: decompressed, ...(classNames ? { classNames } : {}) }).catch(
        (error: Error) => {
          // A file that does not even decompress is as corrupt as one with a wrong checksum.
          throw DataFormatError.isInstance(error) ? error : new DataFormatError(dir, error.message);
        },
      );
    },
  });
  // Every source locateDataset returns went through `accept`, which read it.
  return { ...(data as unknown as LabelledSplit), located };
}

/**
 * Loads the bundled sample: 8,000 training and 2,000 test images, checksums verified.
 *
 * @example
 * ```ts
 * import { loadFashionMnistSample } from '@neurona/datasets/node';
 *
 * const { train, test } = await loadFashionMnistSample();
 * console.log(train.count, test.count, train.height, train.width); // 8000 2000 28 28
 * ```
 */
export function loadFashionMnistSample(): Promise<LabelledSplit> {
  return loadIdxFolder(fashionMnistSampleDir, { checksums: sampleChecksums });
}

const dataRoot = fileURLToPath(dataUrl);

/** Where a bundled table's CSV file is on this machine. */
export function bundledTablePath(name: BundledTable): string {
  const spec = bundledTables[name];
  if (!spec)
    throw new UnknownNameError('bundled table', name, Object.keys(bundledTables), { where: 'bundledTablePath' });
  return join(dataRoot, spec.file);
}

/** Reads one of the tables bundled with this package (checksum verified). */
export async function loadTable(name: BundledTable): Promise<TableRow[]> {
  const path = bundledTablePath(name);
  return parseBundledTable(name, await readFile(path, 'utf8'), path);
}

/**
 * UCI Auto MPG (book ch. 9): 398 cars with an MPG (as the UCI file), 6 of them without
 * horsepower (null); pass `{ keepMissingMpg: true }` for all 406 rows.
 */
export async function loadAutoMpg(options: { keepMissingMpg?: boolean } = {}): Promise<TableRow[]> {
  const rows = await loadTable('auto-mpg');
  return options.keepMissingMpg ? rows : rows.filter((r) => r.mpg !== null);
}

/** Boston Housing: 506 rows, 13 features and `medv`, as Keras ships it (unsplit). */
export function loadBostonHousing(): Promise<TableRow[]> {
  return loadTable('boston-housing');
}
