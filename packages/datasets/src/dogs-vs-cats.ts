import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DogsVsCatsSplitOptions {
  /** Images per class in each part; the book's small set is 1,000 / 500 / 500 (2,000 / 1,000 / 1,000 in all). */
  train?: number;
  validation?: number;
  test?: number;
}

const KAGGLE_NAME = /^(cat|dog)\.(\d+)\.jpe?g$/i;

/**
 * Builds the book's small Dogs vs Cats set (ch. 10) from the Kaggle archive's `train/`
 * folder (`cat.0.jpg` … `dog.12499.jpg`): the lowest-numbered files of each class go to
 * `target/{train,validation,test}/{cats,dogs}`, as in the book. The folders are filled in a
 * temporary sibling and renamed into place, so a failed run leaves no half-made set; an
 * existing `target` is refused.
 */
export async function makeDogsVsCatsSplit(
  kaggleTrainDir: string,
  target: string,
  options: DogsVsCatsSplitOptions = {},
) {
  const parts = { train: options.train ?? 1000, validation: options.validation ?? 500, test: options.test ?? 500 };
  for (const [name, n] of Object.entries(parts)) {
    if (!(Number.isInteger(n) && n >= 1))
      throw new Error(`makeDogsVsCatsSplit: option '${name}' is ${n}; allowed: an integer >= 1`);
  }
  if (await stat(target).catch(() => undefined)) {
    throw new Error(`makeDogsVsCatsSplit: ${target} already exists; remove it or choose another target`);
  }
  const names = await readdir(kaggleTrainDir).catch(() => {
    throw new Error(
      `makeDogsVsCatsSplit: ${kaggleTrainDir} is not a folder (expected the Kaggle archive's train/ folder)`,
    );
  });
  const byClass: Record<'cat' | 'dog', { n: number; name: string }[]> = { cat: [], dog: [] };
  for (const name of names) {
    const m = KAGGLE_NAME.exec(name);
    if (m) byClass[(m[1] as string).toLowerCase() as 'cat' | 'dog'].push({ n: Number(m[2]), name });
  }
  const needed = parts.train + parts.validation + parts.test;
  for (const [cls, files] of Object.entries(byClass)) {
    if (files.length < needed) {
      throw new Error(
        `makeDogsVsCatsSplit: ${kaggleTrainDir} has ${files.length} ${cls} images (${cls}.N.jpg); the split needs ${needed} per class`,
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
        for (const file of byClass[cls].slice(offset, offset + count))
          await copyFile(join(kaggleTrainDir, file.name), join(dir, file.name));
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
