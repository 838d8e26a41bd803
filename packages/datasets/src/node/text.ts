import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnknownNameError } from '@neurona/errors';
import { ChecksumError } from '../checksum.js';
import { getDataset } from '../registry.js';
import { sha256File } from './download.js';
import type { Located, LocateOptions } from './sources.js';
import { locateDataset } from './sources.js';

/**
 * A text corpus for the character-level language model (book ch. 13): Tiny Shakespeare
 * (cache or verified download) or Moby Dick (offline, from the npm package that ships it).
 */
export async function loadText(
  name: 'shakespeare' | 'moby-dick',
  options: LocateOptions = {},
): Promise<{ text: string; located: Located }> {
  if (name !== 'shakespeare' && name !== 'moby-dick') {
    throw new UnknownNameError('text corpus', String(name), ['shakespeare', 'moby-dick'], { where: 'loadText' });
  }
  const entry = getDataset(name);
  const file = entry.files[0];
  // invariant: every text corpus in the registry lists its file
  if (!file) throw new Error(`loadText: ${name} lists no file`);
  // Verified where it is found: a corrupt copy is passed over for the next source.
  const located = await locateDataset(entry, {
    ...options,
    accept: async (dir) => {
      const actual = await sha256File(join(dir, file.name));
      if (actual !== file.sha256) throw new ChecksumError(join(dir, file.name), file.sha256, actual);
    },
  });
  const path = join(located.dir, file.name);
  return { text: await readFile(path, 'utf8'), located };
}
