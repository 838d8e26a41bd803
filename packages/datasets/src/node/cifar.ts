import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileNotFoundError } from '@neurona/errors';
import type * as Tar from 'tar';
import { ChecksumError } from '../checksum.js';
import { cifar10ClassNames, concatImageSets, parseCifarBatch } from '../formats/cifar.js';
import type { LabelledSplit } from '../image-set.js';
import { getDataset } from '../registry.js';
import { sha256File } from './download.js';
import { importOptional } from './optional.js';
import type { Located, LocateOptions } from './sources.js';
import { defaultCacheDir, locateDataset } from './sources.js';

const BATCHES = 'cifar-10-batches-bin';
const TRAIN = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const TEST = 'test_batch.bin';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** The folder holding the six `.bin` batches: `dir` itself or its `cifar-10-batches-bin`. */
async function batchFolder(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, BATCHES)]) {
    if ((await Promise.all([...TRAIN, TEST].map((f) => exists(join(candidate, f))))).every(Boolean)) return candidate;
  }
  return undefined;
}

/** Reads CIFAR-10's binary batches from a folder: 50,000 training and 10,000 test images, channels last. */
export async function loadCifar10Folder(dir: string): Promise<LabelledSplit> {
  const folder = await batchFolder(dir);
  if (!folder)
    throw new FileNotFoundError(
      dir,
      `loadCifar10Folder: ${dir} holds neither the six CIFAR-10 .bin batches nor ${BATCHES}/ with them`,
    );
  const read = async (name: string) => parseCifarBatch(await readFile(join(folder, name)), join(folder, name));
  const train = concatImageSets(await Promise.all(TRAIN.map(read)));
  return { train, test: await read(TEST), classNames: cifar10ClassNames };
}

/**
 * CIFAR-10 from your path, the cache (extracted once), or a verified download of the
 * binary archive, which is extracted beside it in the cache.
 */
export async function loadCifar10(options: LocateOptions = {}): Promise<LabelledSplit & { located: Located }> {
  if (options.path) {
    return {
      ...(await loadCifar10Folder(options.path)),
      located: { dir: options.path, source: 'path', tried: [`path ${options.path}`] },
    };
  }
  const cache = join(options.cacheDir ?? defaultCacheDir(), 'cifar10');
  if (await batchFolder(cache)) {
    return {
      ...(await loadCifar10Folder(cache)),
      located: { dir: cache, source: 'cache', tried: [`cache ${cache}: found`] },
    };
  }
  const entry = getDataset('cifar10');
  const expected = entry.files[0]?.sha256 as string;
  // The archive is verified where it is found: a corrupt copy is passed over for the next source.
  const located = await locateDataset(entry, {
    ...options,
    accept: async (dir) => {
      const path = join(dir, 'cifar-10-binary.tar.gz');
      const actual = await sha256File(path);
      if (actual !== expected) throw new ChecksumError(path, expected, actual);
    },
  });
  const archive = join(located.dir, 'cifar-10-binary.tar.gz');
  await extractCifarArchive(archive, cache);
  return { ...(await loadCifar10Folder(cache)), located };
}

/** Extracts the binary archive's batches into `cache/cifar-10-batches-bin`, aside first, then renamed into place. */
export async function extractCifarArchive(archive: string, cache: string) {
  const temporary = join(dirname(cache), `.cifar10-extract-${process.pid}`);
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  try {
    const tar = await importOptional<typeof Tar>('tar', 'extracting the CIFAR-10 archive');
    await tar.x({ file: archive, cwd: temporary });
    await mkdir(cache, { recursive: true });
    await rm(join(cache, BATCHES), { recursive: true, force: true });
    await rename(join(temporary, BATCHES), join(cache, BATCHES));
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}
