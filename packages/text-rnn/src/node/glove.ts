import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '@neurona/core';
import type { ParseGloveOptions, WordVectors } from '../glove.js';
import { GloveParser } from '../glove.js';

/**
 * Reads a GloVe text file (plain, or gzip-compressed: told by its first bytes, not its
 * name) line by line, keeping only `words` when given. Errors name the file and line.
 */
export async function readGloveFile(path: string, options: Omit<ParseGloveOptions, 'file'> = {}): Promise<WordVectors> {
  const head = Buffer.alloc(2);
  const handle = await open(path).catch((error: NodeJS.ErrnoException) => {
    throw new DataFormatError(path, error.code === 'ENOENT' ? 'no such file' : error.message, {}, { cause: error });
  });
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const raw = createReadStream(path);
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  stream.setEncoding('utf8');
  const parser = new GloveParser({ ...options, file: path });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) parser.line(line);
  } catch (error) {
    if (DataFormatError.isInstance(error)) throw error;
    const detail = `cannot be read${gzip ? ' as gzip' : ''}: ${(error as Error).message}`;
    throw new DataFormatError(path, detail, {}, { cause: error });
  } finally {
    reader.close();
    raw.destroy();
  }
  return parser.result();
}
