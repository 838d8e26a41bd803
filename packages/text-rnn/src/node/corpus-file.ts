import { readFile } from 'node:fs/promises';
import { DataFormatError } from '@neurona/core';

/**
 * Reads a text file for a language model: UTF-8 (a byte-order mark is dropped), refused
 * with the file's name and the offset when it is not (a binary file, another encoding).
 */
export async function readTextFile(path: string): Promise<string> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new DataFormatError(path, error.code === 'ENOENT' ? 'no such file' : error.message, {}, { cause: error });
  });
  if (bytes.includes(0)) {
    throw new DataFormatError(
      path,
      `has a NUL byte at offset ${bytes.indexOf(0)}: a binary file, not text; give a UTF-8 text file`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new DataFormatError(
      path,
      'is not UTF-8 text; convert it to UTF-8 first (e.g. iconv -t UTF-8)',
      {},
      { cause: error },
    );
  }
}
