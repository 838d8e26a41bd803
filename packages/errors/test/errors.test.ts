import { describe, expect, it } from 'vitest';
import {
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  MissingPackageError,
  NeuronaError,
  UnknownNameError,
} from '../src/index.js';

/** What a second copy of this package (another version, another bundle) makes: another class, the same markers. */
function fromAnotherCopy(error: Error): Error {
  const copy = new Error(error.message);
  for (const key of Object.getOwnPropertySymbols(error)) {
    (copy as unknown as Record<symbol, unknown>)[key] = (error as unknown as Record<symbol, unknown>)[key];
  }
  return copy;
}

describe('the Neurona error family', () => {
  it('each class builds its message from the data it carries', () => {
    const option = new InvalidOptionError('fit', 'batchSize', 0, 'an integer >= 1');
    expect(option.message).toBe("fit: option 'batchSize' is 0; allowed: an integer >= 1");
    expect([option.where, option.option, option.value, option.allowed]).toEqual([
      'fit',
      'batchSize',
      0,
      'an integer >= 1',
    ]);
    expect(new InvalidOptionError('imageFolder', 'imageSize', [0, 180], 'positive integers').message).toBe(
      "imageFolder: option 'imageSize' is [0,180]; allowed: positive integers",
    );
    expect(new InvalidOptionError('f', 'cell', 'rnn', 'gru, lstm').message).toBe(
      "f: option 'cell' is 'rnn'; allowed: gru, lstm",
    );

    const name = new UnknownNameError('text corpus', 'hamlet', ['shakespeare', 'moby-dick'], { where: 'loadText' });
    expect(name.message).toBe("loadText: 'hamlet' is not a known text corpus; known: shakespeare, moby-dick");
    expect(new UnknownNameError('recipe', 'x', ['a']).message).toBe("'x' is not a known recipe; known: a");

    const input = new InvalidInputError('fit', 'y', 'x has 100 rows but y has 99');
    expect(input.message).toBe('fit: x has 100 rows but y has 99');
    expect(input.input).toBe('y');

    expect(new DataFormatError('glove.txt', 'has 3 numbers, expected 50', { line: 7 }).message).toBe(
      'glove.txt, line 7: has 3 numbers, expected 50',
    );
    expect(new DataFormatError('data_batch_1.bin', 'label 12', { row: 3 }).message).toBe(
      'data_batch_1.bin, row 3: label 12',
    );
    expect(new DataFormatError('train.idx', 'bad magic').message).toBe('train.idx: bad magic');

    const missing = new FileNotFoundError('/tmp/run', 'loadCheckpoint: no checkpoint in /tmp/run');
    expect([missing.path, missing.message]).toEqual(['/tmp/run', 'loadCheckpoint: no checkpoint in /tmp/run']);

    const cause = new Error("Cannot find package 'sharp'\nRequire stack: …");
    const pkg = new MissingPackageError('sharp', 'readImage', { cause });
    expect(pkg.message).toBe(
      "readImage needs the optional package 'sharp' (npm install sharp): Cannot find package 'sharp'",
    );
    expect(
      new MissingPackageError('nsfwjs', 'loadNsfwjsMobileNetV2', { version: '4', hint: 'or pass a path' }).message,
    ).toBe("loadNsfwjsMobileNetV2 needs the optional package 'nsfwjs' (npm install nsfwjs@4); or pass a path");

    const download = new DownloadError('https://example.org/a.gz', 'HTTP 404 Not Found', 404);
    expect([download.message, download.status]).toEqual(['https://example.org/a.gz: HTTP 404 Not Found', 404]);
  });

  it('tells the classes apart with isInstance, and the name is the class', () => {
    const errors = [
      new InvalidOptionError('f', 'x', 0, '> 0'),
      new UnknownNameError('recipe', 'x', []),
      new InvalidInputError('f', 'x', 'bad'),
      new DataFormatError('a', 'bad'),
      new FileNotFoundError('a', 'a: file not found'),
      new MissingPackageError('sharp', 'f'),
      new DownloadError('u', 'timed out'),
    ];
    const classes = [
      InvalidOptionError,
      UnknownNameError,
      InvalidInputError,
      DataFormatError,
      FileNotFoundError,
      MissingPackageError,
      DownloadError,
    ];
    errors.forEach((error, i) => {
      expect(error.name).toBe(classes[i]?.name);
      expect(NeuronaError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(classes.map((c) => c.isInstance(error))).toEqual(classes.map((_, j) => i === j));
    });
    expect(NeuronaError.isInstance(new Error('plain'))).toBe(false);
    expect(NeuronaError.isInstance(undefined)).toBe(false);
    expect(NeuronaError.isInstance('InvalidOptionError')).toBe(false);
  });

  it('recognises an error made by another copy of the package, where instanceof cannot', () => {
    const foreign = fromAnotherCopy(new DataFormatError('x.idx', 'bad magic'));
    expect(foreign).not.toBeInstanceOf(DataFormatError);
    expect(DataFormatError.isInstance(foreign)).toBe(true);
    expect(NeuronaError.isInstance(foreign)).toBe(true);
    expect(InvalidOptionError.isInstance(foreign)).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(new FileNotFoundError('a', 'a: file not found', { cause }).cause).toBe(cause);
    expect(new DataFormatError('a', 'bad', {}, { cause }).cause).toBe(cause);
    expect(new UnknownNameError('k', 'g', [], { cause }).cause).toBe(cause);
    expect(new InvalidOptionError('f', 'o', 1, 'x').cause).toBeUndefined();
  });
});
