import { describe, expect, it } from 'vitest';
import { historyChartSpec, predictedVsTrueSpec } from '../src/index.js';
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

describe('historyChartSpec marks', () => {
  it('draws a labelled rule at each marked epoch in every panel, and renders', async () => {
    const spec = historyChartSpec(record, { marks: [{ epoch: 2, label: 'best' }] }) as unknown as {
      spec: { layer: { mark: { type: string }; encoding: { x: { datum?: number }; text?: { value: string } } }[] };
    };
    expect(spec.spec.layer.map((l) => l.mark.type)).toEqual(['line', 'rule', 'text']);
    expect(spec.spec.layer[1]?.encoding.x.datum).toBe(2);
    expect(spec.spec.layer[2]?.encoding.text?.value).toBe('best');
    const svg = await renderSvg(spec as unknown as Parameters<typeof renderSvg>[0]);
    // One label a panel, not one a data row.
    expect(svg.match(/>best</g)).toHaveLength(2);
    // Without marks, the plain line chart, as before.
    expect((historyChartSpec(record) as unknown as { spec: { mark: unknown } }).spec.mark).toEqual({
      type: 'line',
      point: true,
    });
    expect(() => historyChartSpec(record, { marks: [{ epoch: Number.NaN, label: 'x' }] })).toThrow(
      /the mark 'x' is at epoch NaN/,
    );
  });
});

describe('predictedVsTrueSpec', () => {
  it('plots each model against the truth on one square scale with the diagonal, and renders', async () => {
    const spec = predictedVsTrueSpec(
      [18, 26.5, 31],
      { 'MSE loss': [19, 25, 30], 'MAE loss': [17.5, 27, 33] },
      { unit: 'MPG' },
    );
    const s = spec as unknown as {
      data: { values: { model: string; truth: number; predicted: number }[] };
      layer: { data?: { values: { truth: number }[] }; encoding: { x: { scale: { domain: number[] } } } }[];
    };
    expect(s.data.values).toHaveLength(6);
    expect(s.data.values[4]).toEqual({ model: 'MAE loss', truth: 26.5, predicted: 27 });
    expect(s.layer[0]?.data?.values.map((v) => v.truth)).toEqual([17, 33]);
    expect(s.layer[1]?.encoding.x.scale.domain).toEqual([17, 33]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('predicted (MPG)');
    expect(svg).toContain('MAE loss');
  });

  it('refuses predictions that do not match the truth, naming the model', () => {
    expect(() => predictedVsTrueSpec([1, 2], { a: [1] })).toThrow(/'a' has 1 predictions for 2 true values/);
    expect(() => predictedVsTrueSpec([1, 2], {})).toThrow(/no model to plot/);
  });
});
