import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumError } from './checksum.js';
import { sha256File } from './download.js';
import { getDataset } from './registry.js';
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
    throw new Error(`loadText: '${String(name)}' is not a text corpus; allowed: shakespeare, moby-dick`);
  }
  const entry = getDataset(name);
  const located = await locateDataset(entry, options);
  const file = entry.files[0];
  if (!file) throw new Error(`loadText: ${name} lists no file`);
  const path = join(located.dir, file.name);
  const actual = await sha256File(path);
  if (actual !== file.sha256) throw new ChecksumError(path, file.sha256, actual);
  return { text: await readFile(path, 'utf8'), located };
}
