import { DataFormatError as CoreDataFormatError, NeuronaError } from '@neurona/core';
import { describe, expect, it } from 'vitest';
import {
  ChecksumError,
  CsvFormatError,
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  IdxFormatError,
  InvalidOptionError,
  UnknownNameError,
} from '../src/index.js';
import { loadText, readImage } from '../src/node.js';

describe("datasets' errors are core's family, from @neurona/errors without core", () => {
  it("core's classes recognise them; the file is named first", () => {
    const checksum = new ChecksumError('train.gz', 'aa', 'bb');
    expect(checksum.message).toBe(
      'train.gz: SHA-256 is bb, expected aa; the file is corrupt or not the one this package was made with',
    );
    for (const error of [checksum, new IdxFormatError('x.idx', 'bad magic'), new CsvFormatError('a.csv', 'bad row')]) {
      expect(NeuronaError.isInstance(error)).toBe(true);
      expect(CoreDataFormatError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(DataFormatError);
      expect(error).toBeInstanceOf(CoreDataFormatError);
    }
    expect([checksum.name, checksum.file, checksum.expected, checksum.actual]).toEqual([
      'ChecksumError',
      'train.gz',
      'aa',
      'bb',
    ]);
  });

  it('what a caller can tell apart: a bad option, an unknown name, a missing file', async () => {
    const bad = await readImage('x.png', { channels: 2 as 1 }).catch((e: unknown) => e);
    expect(InvalidOptionError.isInstance(bad) && [bad.option, bad.value]).toEqual(['channels', 2]);
    const unknown = await loadText('hamlet' as 'moby-dick').catch((e: unknown) => e);
    expect(UnknownNameError.isInstance(unknown) && unknown.known).toEqual(['shakespeare', 'moby-dick']);
    const missing = await readImage('/nonexistent/x.png').catch((e: unknown) => e);
    expect(FileNotFoundError.isInstance(missing) && missing.path).toBe('/nonexistent/x.png');
    expect(DownloadError.isInstance(missing)).toBe(false);
  });
});
