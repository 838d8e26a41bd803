import { describe, expect, it } from 'vitest';
import { confusionMatrix, confusionMatrixSpec, formatConfusionMatrix } from '../src/index.js';
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
