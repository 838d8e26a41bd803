import { InvalidInputError, UnknownNameError } from '@neurona/errors';
import { type ChartSpec, vegaLite } from './spec.js';

/** Keras's `History.history` shape: one series per logged figure. */
export interface HistoryLike {
  epoch?: number[];
  history: Record<string, number[]>;
}

/** Options of `historyChartSpec`: which figures, the title and the panel size. */
export interface HistoryChartOptions {
  /** Figures to plot, one panel each; default: `loss` and `accuracy` where logged. */
  metrics?: string[];
  title?: string;
  /** Width of one panel in pixels. Default 320. */
  width?: number;
  height?: number;
  /** The names of the two curves in the legend. Default `['training', 'validation']`. */
  splits?: readonly [string, string];
  /**
   * Epochs to mark with a vertical rule and a label in every panel, as they are plotted (the first
   * epoch is 1): where early stopping stopped, the best epoch whose weights were kept.
   */
  marks?: readonly { epoch: number; label: string }[];
}

/**
 * The book's training-history plot (ch. 9): one panel per figure, training and
 * validation curves against the epoch, as a Vega-Lite spec that renders in a browser
 * (vega-embed) or, through `@neurona/viz/node`, to SVG and PNG.
 *
 * @example
 * ```ts
 * const spec = historyChartSpec({ history: { loss: [1.2, 0.8, 0.6], val_loss: [1.1, 0.9, 0.7] } }, { metrics: ['loss'] });
 * await vegaEmbed('#chart', spec as VisualizationSpec); // in a browser; renderSvg/renderPng in Node
 * ```
 */
export function historyChartSpec(record: HistoryLike, options: HistoryChartOptions = {}): ChartSpec {
  const { history } = record;
  const logged = Object.keys(history).filter((k) => !k.startsWith('val_'));
  const metrics = options.metrics ?? ['loss', 'accuracy'].filter((m) => m in history);
  if (metrics.length === 0)
    throw new InvalidInputError(
      'historyChartSpec',
      'history',
      `nothing to plot; the history has ${logged.join(', ') || 'no figures'}`,
    );
  for (const m of metrics) {
    if (!(m in history)) throw new UnknownNameError('metric in the history', m, logged, { where: 'historyChartSpec' });
  }
  const [training, validation] = options.splits ?? ['training', 'validation'];
  const marks = options.marks ?? [];
  for (const mark of marks) {
    if (!Number.isFinite(mark.epoch))
      throw new InvalidInputError('historyChartSpec', 'marks', `the mark '${mark.label}' is at epoch ${mark.epoch}`);
  }
  const curves = {
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
      color: { field: 'split', type: 'nominal', title: null, sort: [training, validation] },
    },
  } as const;
  // One rule and one label a panel (the layers would otherwise draw one per row of the panel's
  // data); each label a line lower than the one before, so that close marks stay readable.
  const once = [
    { window: [{ op: 'row_number', as: 'markRow' }], groupby: ['metric'] },
    { filter: 'datum.markRow === 1' },
  ];
  const rules = marks.flatMap((m, i) => [
    {
      transform: once,
      mark: { type: 'rule', color: '#5b6473', strokeDash: [4, 3] },
      encoding: { x: { datum: m.epoch } },
    },
    {
      transform: once,
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2 + 12 * i, fontSize: 10, color: '#5b6473' },
      encoding: { x: { datum: m.epoch }, y: { value: 0 }, text: { value: m.label } },
    },
  ]);
  const values: { epoch: number; metric: string; split: string; value: number }[] = [];
  for (const metric of metrics) {
    for (const [key, split] of [
      [metric, training],
      [`val_${metric}`, validation],
    ] as const) {
      (history[key] ?? []).forEach((value, i) => {
        if (Number.isFinite(value)) values.push({ epoch: (record.epoch?.[i] ?? i) + 1, metric, split, value });
      });
    }
  }
  // Built loosely and checked by rendering it (the tests): vega-lite's types cannot follow the
  // layers chosen at run time.
  return vegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics } },
    spec: {
      width: options.width ?? 320,
      height: options.height ?? 220,
      ...(rules.length === 0 ? curves : { layer: [curves, ...rules] }),
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', background: 'white' },
  } as unknown as Parameters<typeof vegaLite>[0]);
}
