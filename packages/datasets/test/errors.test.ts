import { DataFormatError as CoreDataFormatError, NeuronaError } from '@neurona/core';
import { describe, expect, it } from 'vitest';
import { ChecksumError, CsvFormatError, DataFormatError, IdxFormatError } from '../src/index.js';

describe("datasets' errors are of the Neurona family without importing core", () => {
  it("core's isInstance recognises them; the file is named as core names it", () => {
    const checksum = new ChecksumError('train.gz', 'aa', 'bb');
    expect(checksum.message).toBe(
      'train.gz: SHA-256 is bb, expected aa; the file is corrupt or not the one this package was made with',
    );
    for (const error of [checksum, new IdxFormatError('x.idx', 'bad magic'), new CsvFormatError('a.csv', 'bad row')]) {
      expect(NeuronaError.isInstance(error)).toBe(true);
      expect(CoreDataFormatError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(DataFormatError);
      expect(error.file).toBe(error.source);
    }
    expect(checksum.name).toBe('ChecksumError');
  });
});
