import { describe, expect, it } from 'vitest';
import {
  confidentlyWrong,
  confusionMatrix,
  confusionMatrixSpec,
  formatConfusionMatrix,
  InvalidInputError,
} from '../src/index.js';
import { renderPng, renderSvg } from '../src/node.js';

describe('confusion matrix', () => {
  const m = confusionMatrix([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 1, 2, 0, 2, 2], ['cat', 'dog', 'bird']);

  it('counts true classes by predicted class, with per-class and overall accuracy', () => {
    expect(m.counts).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 3],
    ]);
    expect(m.perClassAccuracy).toEqual([2 / 3, 1, 0.75]);
    expect(m.accuracy).toBeCloseTo(7 / 9, 12);
    expect(m.total).toBe(9);
  });

  it('prints a table a person reads, and names bad labels', () => {
    expect(formatConfusionMatrix(m).split('\n')).toEqual([
      'true \\ predicted  cat  dog  bird  accuracy',
      'cat                 2    1     0    0.6667',
      'dog                 0    2     0    1.0000',
      'bird                1    0     3    0.7500',
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], ['a', 'b'])).toThrow(
      'confusionMatrix: example 1 has label 3 and prediction 1; allowed: 0 to 1',
    );
  });

  it('renders as a heat map with the counts written in', async () => {
    const svg = await renderSvg(confusionMatrixSpec(m, { title: 'test' }));
    for (const name of ['cat', 'dog', 'bird', 'predicted', 'true class']) expect(svg).toContain(name);
    const png = await renderPng(confusionMatrixSpec(m));
    expect(Array.from(png.subarray(1, 4))).toEqual([80, 78, 71]); // "PNG"
  });
});

describe('confidentlyWrong', () => {
  // Four examples of three classes: 0 right, 1 wrong at 0.6, 2 wrong at 0.9, 3 wrong at 0.6.
  const probabilities = [0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.05, 0.05, 0.9, 0.2, 0.2, 0.6];
  const truth = [0, 1, 0, 1];

  it('lists the wrong predictions, surest first, ties in set order, with both probabilities', () => {
    expect(confidentlyWrong(probabilities, truth, 3)).toEqual([
      { index: 2, truth: 0, predicted: 2, confidence: 0.9, truthProbability: 0.05 },
      { index: 1, truth: 1, predicted: 0, confidence: 0.6, truthProbability: 0.3 },
      { index: 3, truth: 1, predicted: 2, confidence: 0.6, truthProbability: 0.2 },
    ]);
    expect(confidentlyWrong(probabilities, truth, 3, 1).map((w) => w.index)).toEqual([2]);
    expect(confidentlyWrong([0.9, 0.1], [0], 2)).toEqual([]);
  });

  it('refuses probabilities that do not match the labels, and labels out of range', () => {
    expect(() => confidentlyWrong(probabilities, truth, 4)).toThrow(/12 values for 4 labels of 4 classes; expected 16/);
    expect(() => confidentlyWrong([0.5, 0.5], [2], 2)).toThrow(/example 0 has label 2; allowed: 0 to 1/);
    expect(() => confidentlyWrong([1], [0], 1)).toThrow(InvalidInputError);
  });
});
