import { historyChartSpec } from '@neurona/viz';
import { useEffect, useRef } from 'preact/hooks';
import type { LossPoint } from './engine.js';

/** The data set vega-lite names for a spec's inline values. */
const SOURCE = 'source_0';
/** At most this often the chart is drawn again while training: once a second keeps it live and the page smooth. */
const REDRAW_MS = 1000;

/**
 * The training and test loss over the epochs: viz's history chart (the spec the CLI renders to PNG),
 * drawn by Vega into a canvas, at most once a second.
 */
export function LossChart({ losses }: { losses: readonly LossPoint[] }) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<import('vega').View | undefined>(undefined);
  const latest = useRef(losses);
  latest.current = losses;
  const drawn = useRef({
    at: 0,
    losses: undefined as readonly LossPoint[] | undefined,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
  });

  useEffect(() => {
    const draw = async () => {
      drawn.current.timer = 0;
      const element = container.current;
      const losses = latest.current;
      // An empty facet collapses the view for good: keep the last picture until the new run has a point.
      if (!element || losses === drawn.current.losses || losses.length === 0) return;
      drawn.current = { at: performance.now(), losses, timer: 0 };
      const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
      const spec = historyChartSpec(
        {
          epoch: losses.map((p) => p.epoch - 1),
          history: { loss: losses.map((p) => p.train), val_loss: losses.map((p) => p.test) },
        },
        { metrics: ['loss'], splits: ['training', 'test'], width: 200, height: 90 },
      );
      if (view.current) {
        // Built once; later only its data changes (building a View takes tens of milliseconds).
        await view.current.data(SOURCE, (spec as unknown as { data: { values: object[] } }).data.values).runAsync();
        return;
      }
      const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
      const next = new vega.View(vega.parse(compiled), { renderer: 'canvas', container: element, hover: false });
      view.current = next;
      await next.runAsync();
    };
    const wait = REDRAW_MS - (performance.now() - drawn.current.at);
    if (drawn.current.timer === 0) {
      if (wait <= 0) void draw();
      else drawn.current.timer = setTimeout(() => void draw(), wait);
    }
  }, [losses]);

  useEffect(() => {
    // Vega is half a megabyte of script: load it before the first epoch ends, not during training.
    void import('vega');
    void import('vega-lite');
    return () => view.current?.finalize();
  }, []);

  return <div id="loss-chart" ref={container} role="img" aria-label="loss over the epochs" />;
}
