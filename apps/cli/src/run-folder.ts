import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Refuses an `--out` folder that already holds something, unless `force`. */
export async function checkOutFolder(out: string, force: boolean) {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new Error(`--out ${out} is a file, not a folder; choose another --out`);
  const entries = await readdir(out);
  if (entries.length > 0 && !force) {
    throw new Error(
      `--out ${out} already holds a run (${entries.slice(0, 4).join(', ')}${entries.length > 4 ? ', …' : ''}); pass --force to replace it, or choose another --out`,
    );
  }
}

/**
 * Writes a run into a temporary sibling of `out` and moves it into place only when
 * every file is written, so a failed or interrupted run never touches an earlier one.
 */
export async function writeRunFolder(out: string, write: (dir: string) => Promise<void>) {
  const target = resolve(out);
  await mkdir(dirname(target), { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const temporary = join(dirname(target), `.${basename(target)}.partial-${suffix}`);
  await mkdir(temporary);
  try {
    await write(temporary);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  const previous = join(dirname(target), `.${basename(target)}.previous-${suffix}`);
  const existed = await stat(target).then(
    () => true,
    () => false,
  );
  if (existed) await rename(target, previous);
  await rename(temporary, target);
  if (existed) await rm(previous, { recursive: true, force: true });
}
