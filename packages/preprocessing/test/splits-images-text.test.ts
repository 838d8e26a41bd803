import { createRng, InvalidOptionError } from '@neurona/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CharVocabulary,
  centerCrop,
  classWeights,
  languageModelWindows,
  padSequences,
  resize,
  toChannelsLast,
  toGrayscale,
  toRgb,
  trainValidationTestSplit,
  WordVocabulary,
  windowCount,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('splits and class weights', () => {
  it('splits by fraction or count into disjoint, complete parts', () => {
    const a = trainValidationTestSplit(100, { validation: 0.2, test: 10, rng: createRng(3) });
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([70, 20, 10]);
    expect(new Set([...a.train, ...a.validation, ...a.test]).size).toBe(100);
    const b = trainValidationTestSplit(100, { validation: 0.2, test: 10, rng: createRng(3) });
    expect(Array.from(b.test)).toEqual(Array.from(a.test));
  });

  it('keeps class proportions when stratified', () => {
    // 80 of class 0, 20 of class 1.
    const labels = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const s = trainValidationTestSplit(100, { validation: 0.2, test: 0.1, rng: createRng(1), stratify: labels });
    const ones = (rows: Int32Array) => Array.from(rows).filter((r) => labels[r] === 1).length;
    expect([s.validation.length, ones(s.validation)]).toEqual([20, 4]);
    expect([s.test.length, ones(s.test)]).toEqual([10, 2]);
    expect(ones(s.train)).toBe(14);
  });

  it('refuses parts that leave nothing to train on', () => {
    expect(() => trainValidationTestSplit(10, { validation: 0.5, test: 0.5, rng: createRng(1) })).toThrow(
      'trainValidationTestSplit: 5 validation + 5 test rows leave none of 10 to train on',
    );
    expect(() => trainValidationTestSplit(10, { validation: 1.5, test: 1, rng: createRng(1) })).toThrow(
      "option 'validation' is 1.5; allowed: a fraction in (0, 1) or a row count in [0, 10)",
    );
  });

  it('weights classes by n / (classes · count), as scikit-learn balanced', () => {
    expect(classWeights([0, 0, 0, 1], 2)).toEqual({ 0: 4 / 6, 1: 2 });
    expect(() => classWeights([0, 0], 2)).toThrow('classWeights: class 1 has no example');
  });
});

describe('images', () => {
  it('resize, crop, grey and RGB conversion and layout, with shapes checked', () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 4 * 6 * 3 }, (_, i) => i % 251),
      [2, 4, 6, 3],
    );
    expect(resize(x, [8, 12]).shape).toEqual([2, 8, 12, 3]);
    const crop = centerCrop(x, [2, 2]);
    expect(crop.shape).toEqual([2, 2, 2, 3]);
    // Rows 1–2, columns 2–3 of the first image.
    expect(Array.from(crop.dataSync().slice(0, 3))).toEqual([
      (1 * 6 + 2) * 3,
      (1 * 6 + 2) * 3 + 1,
      (1 * 6 + 2) * 3 + 2,
    ]);
    const grey = toGrayscale(x);
    expect(grey.shape).toEqual([2, 4, 6, 1]);
    expect(grey.dataSync()[0]).toBeCloseTo(0.2989 * 0 + 0.587 * 1 + 0.114 * 2, 3);
    expect(toRgb(grey).shape).toEqual([2, 4, 6, 3]);
    expect(toChannelsLast(tf.zeros([1, 3, 5, 7])).shape).toEqual([1, 5, 7, 3]);
    expect(() => centerCrop(x, [5, 5])).toThrow(
      "centerCrop: option 'shape' is [5,5]; allowed: a crop that fits in the 4×6 images",
    );
    expect(() => resize(tf.zeros([4, 4, 3]), [2, 2])).toThrow(
      'resize: expected images [batch, height, width, channels], got shape [4, 4, 3]',
    );
    expect(() => toGrayscale(tf.zeros([1, 2, 2, 2]))).toThrow('toGrayscale: expected 1 or 3 channels, got 2');
    expect(() => resize(x, [0, 8])).toThrow(
      "resize: option 'shape' is [0,8]; allowed: [height, width] of positive integers",
    );
    expect(() => resize(x, [0, 8])).toThrow(InvalidOptionError);
  });
});

describe('text', () => {
  const text = 'First Citizen:\nBefore we proceed any further, hear me speak.';

  it('encodes and decodes characters, with pad id 0, and refuses characters outside a fixed vocabulary', () => {
    const vocab = CharVocabulary.fromText(text);
    const ids = vocab.encode('hear me');
    expect(Math.min(...ids)).toBeGreaterThan(0);
    expect(vocab.decode(ids)).toBe('hear me');
    expect(vocab.tokens[0]).toBe('<pad>');
    expect(() => vocab.encode('hear é')).toThrow(
      "CharVocabulary: character 'é' (U+00E9) at index 5 is not in the vocabulary of",
    );
    const open = CharVocabulary.fromText(text, { oov: true });
    expect(open.encode('é')[0]).toBe(1);
    expect(CharVocabulary.fromJSON(JSON.parse(JSON.stringify(vocab))).encode('hear me')).toEqual(ids);
  });

  it('ranks words by frequency and maps the rest to the out-of-vocabulary id', () => {
    const vocab = WordVocabulary.fromTexts(['the cat and the hat', 'The cat sat'], { maxSize: 2 });
    expect(vocab.tokens).toEqual(['<pad>', '<oov>', 'the', 'cat']);
    expect(Array.from(vocab.encode('the hat'))).toEqual([2, 1]);
    expect(vocab.decode([2, 3, 0])).toBe('the cat');
  });

  it('pads and truncates as Keras pad_sequences', () => {
    expect(
      Array.from(
        padSequences(
          [
            [1, 2],
            [3, 4, 5, 6],
          ],
          { maxLength: 3 },
        ).values,
      ),
    ).toEqual([0, 1, 2, 4, 5, 6]);
    expect(
      Array.from(
        padSequences(
          [
            [1, 2],
            [3, 4, 5, 6],
          ],
          { maxLength: 3, padding: 'post', truncating: 'post' },
        ).values,
      ),
    ).toEqual([1, 2, 0, 3, 4, 5]);
    expect(() => padSequences([[1]], { padding: 'middle' as 'pre' })).toThrow(
      "padSequences: option 'padding' is 'middle'",
    );
  });

  it('streams language-model windows whose targets are the inputs shifted by one', async () => {
    const ids = Int32Array.from({ length: 23 }, (_, i) => i);
    expect(windowCount(23, 5, 5)).toBe(4);
    const before = tf.memory().numTensors;
    const batches: { xs: number[][]; ys: number[][][] }[] = [];
    await languageModelWindows(ids, { sequenceLength: 5, batchSize: 3 }).forEachAsync((b) => {
      const { xs, ys } = b as { xs: tf.Tensor; ys: tf.Tensor };
      batches.push({ xs: xs.arraySync() as number[][], ys: ys.arraySync() as number[][][] });
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(batches.map((b) => b.xs.length)).toEqual([3, 1]);
    expect(batches[0]?.xs[1]).toEqual([5, 6, 7, 8, 9]);
    expect(batches[0]?.ys[1]?.map((v) => v[0])).toEqual([6, 7, 8, 9, 10]);
    const overlapping: number[][] = [];
    await languageModelWindows(ids, {
      sequenceLength: 5,
      stride: 2,
      batchSize: 100,
      shuffle: true,
      rng: createRng(1),
    }).forEachAsync((b) => {
      overlapping.push(...((b as { xs: tf.Tensor }).xs.arraySync() as number[][]));
    });
    expect(overlapping).toHaveLength(windowCount(23, 5, 2));
    expect(overlapping.map((w) => w[0]).sort((a, b) => (a as number) - (b as number))).toEqual([
      0, 2, 4, 6, 8, 10, 12, 14, 16,
    ]);
    expect(() => languageModelWindows(ids, { sequenceLength: 30, batchSize: 2 })).toThrow(
      'languageModelWindows: 23 tokens make no window of 30 + 1',
    );
  });
});
