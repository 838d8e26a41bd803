import { describe, expect, it } from 'vitest';
import { historyChartSpec } from '../src/index.js';
import { renderPng, renderSvg } from '../src/node.js';

const record = {
  epoch: [0, 1, 2],
  history: {
    loss: [1.2, 0.8, 0.6],
    accuracy: [0.5, 0.7, 0.8],
    val_loss: [1.1, 0.9, 0.7],
    val_accuracy: [0.55, 0.65, 0.75],
  },
};

describe('historyChartSpec', () => {
  it('lays out loss and accuracy, training and validation, one point per epoch', () => {
    const spec = historyChartSpec(record) as unknown as {
      data: { values: { epoch: number; metric: string; split: string; value: number }[] };
    };
    const values = spec.data.values;
    expect(values).toHaveLength(12);
    expect(values.filter((v) => v.metric === 'loss' && v.split === 'validation').map((v) => v.value)).toEqual([
      1.1, 0.9, 0.7,
    ]);
    expect(values.filter((v) => v.metric === 'accuracy' && v.split === 'training').map((v) => v.epoch)).toEqual([
      1, 2, 3,
    ]);
  });

  it("names the curves as asked: the Playground's training and test loss", () => {
    const spec = historyChartSpec(record, { metrics: ['loss'], splits: ['train', 'test'] }) as unknown as {
      data: { values: { split: string; value: number }[] };
      spec: { encoding: { color: { sort: string[] } } };
    };
    expect(spec.data.values.filter((v) => v.split === 'test').map((v) => v.value)).toEqual([1.1, 0.9, 0.7]);
    expect(spec.spec.encoding.color.sort).toEqual(['train', 'test']);
  });

  it('names a metric the history does not have', () => {
    expect(() => historyChartSpec(record, { metrics: ['mae'] })).toThrow(
      "historyChartSpec: 'mae' is not a known metric in the history; known: loss, accuracy",
    );
  });
});

describe('rendering in Node', () => {
  it('writes an SVG with both panels and both curves', async () => {
    const svg = await renderSvg(historyChartSpec(record));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>loss<');
    expect(svg).toContain('>accuracy<');
    expect(svg).toContain('>validation<');
    // Two panels × two splits = four line paths.
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(4);
  });

  it('writes a PNG of the right size', async () => {
    const png = await renderPng(historyChartSpec(record), { scale: 1 });
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    expect(width).toBeGreaterThan(640); // two 320-pixel panels plus axes and legend
    expect(height).toBeGreaterThan(220);
  });
});
