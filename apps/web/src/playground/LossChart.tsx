import { historyChartSpec } from '@neurona/viz';
import { useMemo } from 'preact/hooks';
import { VegaChart } from '../shell/VegaChart.js';
import type { LossPoint } from './engine.js';

/**
 * The training and test loss over the epochs: viz's history chart (the spec the CLI renders to PNG),
 * drawn by Vega into a canvas, at most once a second.
 */
export function LossChart({ losses }: { losses: readonly LossPoint[] }) {
  const spec = useMemo(
    () =>
      // An empty facet collapses the view for good: keep the last picture until the new run has a point.
      losses.length === 0
        ? undefined
        : historyChartSpec(
            {
              epoch: losses.map((p) => p.epoch - 1),
              history: { loss: losses.map((p) => p.train), val_loss: losses.map((p) => p.test) },
            },
            { metrics: ['loss'], splits: ['training', 'test'], width: 200, height: 90 },
          ),
    [losses],
  );
  return <VegaChart spec={spec} id="loss-chart" label="loss over the epochs" />;
}
