import { InvalidInputError } from '@neurona/errors';
import { type ChartSpec, vegaLite } from './spec.js';

/** Options of `predictedVsTrueSpec`: the title, the unit of the values, the plot's size. */
export interface PredictedVsTrueOptions {
  title?: string;
  /** The values' unit, for the axes (`MPG`). */
  unit?: string;
  /** Width and height of the square plot, in pixels. Default 300. */
  size?: number;
}

/**
 * A regression's predictions against the true values (book ch. 9), one colour per model, with the
 * line of perfect predictions: points above it are over-estimates. `predicted` holds each model's
 * predictions by name, in the order of `truth`.
 *
 * @example
 * ```ts
 * const spec = predictedVsTrueSpec([18, 26, 31], { 'MSE loss': [19.2, 24.8, 30.1] }, { unit: 'MPG' });
 * ```
 */
export function predictedVsTrueSpec(
  truth: ArrayLike<number>,
  predicted: Record<string, ArrayLike<number>>,
  options: PredictedVsTrueOptions = {},
): ChartSpec {
  const names = Object.keys(predicted);
  if (names.length === 0) throw new InvalidInputError('predictedVsTrueSpec', 'predicted', 'no model to plot');
  if (truth.length === 0) throw new InvalidInputError('predictedVsTrueSpec', 'truth', 'no value to plot');
  const values: { model: string; truth: number; predicted: number }[] = [];
  for (const name of names) {
    const p = predicted[name] as ArrayLike<number>;
    if (p.length !== truth.length) {
      throw new InvalidInputError(
        'predictedVsTrueSpec',
        'predicted',
        `'${name}' has ${p.length} predictions for ${truth.length} true values`,
      );
    }
    for (let i = 0; i < truth.length; i++)
      values.push({ model: name, truth: truth[i] as number, predicted: p[i] as number });
  }
  const all = values.flatMap((v) => [v.truth, v.predicted]).filter(Number.isFinite);
  const low = Math.floor(Math.min(...all));
  const high = Math.ceil(Math.max(...all));
  const unit = options.unit ? ` (${options.unit})` : '';
  const size = options.size ?? 300;
  const scale = { domain: [low, high], nice: false, zero: false };
  return vegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    // The points are the chart's own data (vega-lite's `source_0`: a page can swap them); the
    // diagonal brings its two ends.
    data: { values },
    width: size,
    height: size,
    layer: [
      {
        data: {
          values: [
            { truth: low, predicted: low },
            { truth: high, predicted: high },
          ],
        },
        mark: { type: 'line', color: '#9aa3b2', strokeDash: [4, 3], clip: true },
        encoding: {
          x: { field: 'truth', type: 'quantitative', scale },
          y: { field: 'predicted', type: 'quantitative', scale },
        },
      },
      {
        mark: { type: 'point', filled: true, opacity: 0.7, size: 30 },
        encoding: {
          x: { field: 'truth', type: 'quantitative', title: `true value${unit}`, scale },
          y: { field: 'predicted', type: 'quantitative', title: `predicted${unit}`, scale },
          color: { field: 'model', type: 'nominal', title: null, sort: names },
        },
      },
    ],
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', background: 'white' },
  });
}
