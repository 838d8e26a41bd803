import { InvalidInputError } from '@neurona/errors';
import { type ChartSpec, vegaLite } from './spec.js';

/** Counts by true class (rows) and predicted class (columns), with each class's accuracy. */
export interface ConfusionMatrix {
  classNames: string[];
  /** `counts[t][p]`: examples of true class `t` predicted as `p`. */
  counts: number[][];
  /** Share of each true class predicted right (its recall), NaN for a class with no example. */
  perClassAccuracy: number[];
  accuracy: number;
  total: number;
}

/**
 * Tallies a confusion matrix from true and predicted class indexes (book ch. 9 and 10:
 * which classes the model mixes up). Every index must be in `[0, classNames.length)`.
 */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: readonly string[],
): ConfusionMatrix {
  const k = classNames.length;
  if (k < 2)
    throw new InvalidInputError('confusionMatrix', 'classNames', `${k} class names; a classifier has at least 2`);
  if (truth.length !== predicted.length) {
    throw new InvalidInputError(
      'confusionMatrix',
      'predicted',
      `${truth.length} true labels but ${predicted.length} predictions`,
    );
  }
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = predicted[i] as number;
    if (!(Number.isInteger(t) && t >= 0 && t < k && Number.isInteger(p) && p >= 0 && p < k)) {
      throw new InvalidInputError(
        'confusionMatrix',
        'truth',
        `example ${i} has label ${t} and prediction ${p}; allowed: 0 to ${k - 1}`,
      );
    }
    (counts[t] as number[])[p] = ((counts[t] as number[])[p] as number) + 1;
  }
  const right = counts.reduce((sum, row, i) => sum + (row[i] as number), 0);
  return {
    classNames: [...classNames],
    counts,
    perClassAccuracy: counts.map((row, i) => {
      const n = row.reduce((a, b) => a + b, 0);
      return n === 0 ? Number.NaN : (row[i] as number) / n;
    }),
    accuracy: truth.length === 0 ? Number.NaN : right / truth.length,
    total: truth.length,
  };
}

/** The matrix as a plain-text table: a row per true class, a column per prediction, then the class's accuracy. */
export function formatConfusionMatrix(matrix: ConfusionMatrix): string {
  const { classNames, counts, perClassAccuracy } = matrix;
  const first = Math.max('true \\ predicted'.length, ...classNames.map((n) => n.length));
  const widths = classNames.map((n, j) => Math.max(n.length, ...counts.map((row) => String(row[j]).length)));
  const line = (head: string, cells: string[], tail: string) =>
    `${head.padEnd(first)}  ${cells.map((c, j) => c.padStart(widths[j] as number)).join('  ')}  ${tail.padStart(8)}`;
  return [
    line('true \\ predicted', classNames, 'accuracy'),
    ...counts.map((row, i) =>
      line(
        classNames[i] as string,
        row.map(String),
        Number.isNaN(perClassAccuracy[i]) ? '-' : (perClassAccuracy[i] as number).toFixed(4),
      ),
    ),
  ].join('\n');
}

/** A heat map of the matrix with the count in each cell, as a Vega-Lite spec (browser, or SVG/PNG in Node). */
export function confusionMatrixSpec(
  matrix: ConfusionMatrix,
  options: { title?: string; cell?: number } = {},
): ChartSpec {
  const cell = options.cell ?? 44;
  const values = matrix.counts.flatMap((row, t) =>
    row.map((count, p) => ({ truth: matrix.classNames[t], predicted: matrix.classNames[p], count })),
  );
  const order = matrix.classNames;
  const max = Math.max(1, ...values.map((v) => v.count));
  return vegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    width: cell * order.length,
    height: cell * order.length,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted', axis: { labelAngle: -40 } },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true class' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, max] },
            title: 'examples',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', background: 'white' },
  });
}

/** A test example the model got wrong, and how sure it was. */
export interface WrongPrediction {
  /** The example's row in the set. */
  index: number;
  truth: number;
  predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  confidence: number;
  /** The probability it gave the true class. */
  truthProbability: number;
}

/**
 * The examples a classifier got most confidently wrong (book ch. 8: the mistakes worth looking
 * at), surest first: `probabilities` is `n × classes` values, row-major (a softmax's output),
 * `truth` the `n` true class indexes. Ties keep the set's order.
 */
export function confidentlyWrong(
  probabilities: ArrayLike<number>,
  truth: ArrayLike<number>,
  classes: number,
  count = 8,
): WrongPrediction[] {
  if (!Number.isInteger(classes) || classes < 2)
    throw new InvalidInputError('confidentlyWrong', 'classes', `${classes}; a classifier has at least 2`);
  if (probabilities.length !== truth.length * classes) {
    throw new InvalidInputError(
      'confidentlyWrong',
      'probabilities',
      `${probabilities.length} values for ${truth.length} labels of ${classes} classes; expected ${truth.length * classes}`,
    );
  }
  const wrong: WrongPrediction[] = [];
  for (let i = 0; i < truth.length; i++) {
    let predicted = 0;
    for (let c = 1; c < classes; c++) {
      if ((probabilities[i * classes + c] as number) > (probabilities[i * classes + predicted] as number))
        predicted = c;
    }
    const t = truth[i] as number;
    if (!(Number.isInteger(t) && t >= 0 && t < classes))
      throw new InvalidInputError(
        'confidentlyWrong',
        'truth',
        `example ${i} has label ${t}; allowed: 0 to ${classes - 1}`,
      );
    if (predicted === t) continue;
    wrong.push({
      index: i,
      truth: t,
      predicted,
      confidence: probabilities[i * classes + predicted] as number,
      truthProbability: probabilities[i * classes + t] as number,
    });
  }
  return wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, count);
}
