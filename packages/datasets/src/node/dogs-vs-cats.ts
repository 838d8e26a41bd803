import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DataFormatError, FileNotFoundError, InvalidInputError, InvalidOptionError } from '@neurona/errors';
import type extractZipFunction from 'extract-zip';
import { ChecksumError } from '../checksum.js';
import { sha256File } from './download.js';
import { importOptional } from './optional.js';

// extract-zip (an optional peer, loaded when a zip is first opened) wants an absolute target folder.
async function extractZip(archive: string, options: { dir: string }) {
  const { default: extract } = await importOptional<{ default: typeof extractZipFunction }>(
    'extract-zip',
    'extracting the Dogs vs Cats zip',
  );
  await extract(archive, { dir: isAbsolute(options.dir) ? options.dir : resolve(options.dir) });
}

/** Options of `makeDogsVsCatsSplit`: images per class in the training, validation and test parts. */
export interface DogsVsCatsSplitOptions {
  /** Images per class in each part; the book's small set is 1,000 / 500 / 500 (2,000 / 1,000 / 1,000 in all). */
  train?: number;
  validation?: number;
  test?: number;
}

const KAGGLE_NAME = /^(cat|dog)\.(\d+)\.jpe?g$/i;
const NUMBERED = /^(\d+)\.jpe?g$/i;

type ClassFiles = Record<'cat' | 'dog', { n: number; path: string }[]>;

/**
 * The numbered photos of each class, from Kaggle's `train/` (cat.N.jpg) or Microsoft's
 * `PetImages/{Cat,Dog}/N.jpg`.
 */
async function listPhotos(source: string): Promise<ClassFiles> {
  const byClass: ClassFiles = { cat: [], dog: [] };
  const names = await readdir(source).catch(() => {
    throw new FileNotFoundError(
      source,
      `makeDogsVsCatsSplit: ${source} is not a folder (expected Kaggle's train/ or Microsoft's PetImages/)`,
    );
  });
  if (names.includes('Cat') && names.includes('Dog')) {
    for (const [cls, folder] of [
      ['cat', 'Cat'],
      ['dog', 'Dog'],
    ] as const) {
      for (const name of await readdir(join(source, folder))) {
        const m = NUMBERED.exec(name);
        if (m) byClass[cls].push({ n: Number(m[1]), path: join(source, folder, name) });
      }
    }
    return byClass;
  }
  for (const name of names) {
    const m = KAGGLE_NAME.exec(name);
    if (m) byClass[(m[1] as string).toLowerCase() as 'cat' | 'dog'].push({ n: Number(m[2]), path: join(source, name) });
  }
  return byClass;
}

/**
 * Builds the book's small Dogs vs Cats set (ch. 10) from the Kaggle archive's `train/`
 * folder (`cat.0.jpg` … `dog.12499.jpg`) or Microsoft's `PetImages/{Cat,Dog}/N.jpg` (the
 * `dogs-vs-cats` download): the lowest-numbered photos of each class go to
 * `target/{train,validation,test}/{cats,dogs}`, as in the book. The folders are filled in a
 * temporary sibling and renamed into place, so a failed run leaves no half-made set; an
 * existing `target` is refused.
 */
export async function makeDogsVsCatsSplit(photos: string, target: string, options: DogsVsCatsSplitOptions = {}) {
  const parts = { train: options.train ?? 1000, validation: options.validation ?? 500, test: options.test ?? 500 };
  for (const [name, n] of Object.entries(parts)) {
    if (!(Number.isInteger(n) && n >= 1))
      throw new InvalidOptionError('makeDogsVsCatsSplit', name, n, 'an integer >= 1');
  }
  if (await stat(target).catch(() => undefined)) {
    throw new InvalidOptionError(
      'makeDogsVsCatsSplit',
      'target',
      target,
      'a folder that does not exist yet (remove it or choose another target)',
    );
  }
  const byClass = await listPhotos(photos);
  const needed = parts.train + parts.validation + parts.test;
  for (const [cls, files] of Object.entries(byClass)) {
    if (files.length < needed) {
      throw new InvalidInputError(
        'makeDogsVsCatsSplit',
        'source',
        `${photos} has ${files.length} ${cls} photos; the split needs ${needed} per class`,
      );
    }
    files.sort((a, b) => a.n - b.n);
  }
  const temporary = `${target}.partial-${process.pid}`;
  try {
    for (const cls of ['cat', 'dog'] as const) {
      let offset = 0;
      for (const [part, count] of Object.entries(parts)) {
        const dir = join(temporary, part, `${cls}s`);
        await mkdir(dir, { recursive: true });
        for (const file of byClass[cls].slice(offset, offset + count)) {
          await copyFile(file.path, join(dir, `${cls}.${file.n}.jpg`));
        }
        offset += count;
      }
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return { target, perClass: parts };
}

/**
 * Extracts Microsoft's Dogs vs Cats archive (the `dogs-vs-cats` download) into
 * `dir/PetImages`, aside first and renamed into place, and returns that folder, ready for
 * `makeDogsVsCatsSplit`. The archive's checksum is checked before anything is extracted.
 */
export async function extractDogsVsCats(
  archive: string,
  dir: string,
  options: { sha256?: string } = {},
): Promise<string> {
  if (options.sha256) {
    const actual = await sha256File(archive);
    if (actual !== options.sha256) throw new ChecksumError(archive, options.sha256, actual);
  }
  const target = join(dir, 'PetImages');
  if (await stat(target).catch(() => undefined)) return target;
  const temporary = join(dir, `.extract-${process.pid}`);
  await rm(temporary, { recursive: true, force: true });
  try {
    await extractZip(archive, { dir: temporary });
    if (!(await stat(join(temporary, 'PetImages')).catch(() => undefined))) {
      throw new DataFormatError(archive, "has no PetImages/ folder; is it Microsoft's Dogs vs Cats archive?");
    }
    await rename(join(temporary, 'PetImages'), target);
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return target;
}
