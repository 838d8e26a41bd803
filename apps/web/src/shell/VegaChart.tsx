import type { ChartSpec } from '@neurona/viz';
import { useEffect, useRef } from 'preact/hooks';

/** The data set vega-lite names for a spec's inline values. */
const SOURCE = 'source_0';

/** What `VegaChart` draws: a viz spec, and how often at most it is drawn again. */
export interface VegaChartProps {
  /** A spec from `@neurona/viz` (the one the CLI renders to PNG); undefined draws nothing yet. */
  spec: ChartSpec | undefined;
  id: string;
  /** What the chart shows, for screen readers. */
  label: string;
  /**
   * At most this often the chart is drawn again (ms): later specs replace only its data, so they
   * must keep the first one's fields and layout. Default 1000: live while training, and the page
   * stays smooth.
   */
  redrawMs?: number;
  /**
   * The spec is a stand-in with the real one's layout: the chart is built from it but hidden, so
   * that building it (150 ms of the main thread) happens before training, not in its middle.
   */
  placeholder?: boolean;
  /**
   * Changes when a new spec's layout differs from the last one's (marks added, other panels): the
   * chart is then built again rather than given the new data.
   */
  layout?: string;
}

/**
 * A chart of the viz package drawn by Vega into a canvas: built once from the first spec, then
 * only its data changes (building a View takes tens of milliseconds), at most every `redrawMs`.
 */
export function VegaChart({ spec, id, label, redrawMs = 1000, placeholder = false, layout = '' }: VegaChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<import('vega').View | undefined>(undefined);
  const latest = useRef({ spec, placeholder, layout });
  latest.current = { spec, placeholder, layout };
  const built = useRef('');
  const drawn = useRef({
    at: Number.NEGATIVE_INFINITY,
    spec: undefined as ChartSpec | undefined,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
  });

  useEffect(() => {
    const draw = async () => {
      drawn.current.timer = 0;
      const element = container.current;
      const { spec, placeholder, layout } = latest.current;
      if (!element || !spec || spec === drawn.current.spec) return;
      drawn.current = { at: placeholder ? Number.NEGATIVE_INFINITY : performance.now(), spec, timer: 0 };
      const points = placeholder ? 0 : (spec as unknown as { data: { values: object[] } }).data.values.length;
      element.style.visibility = placeholder ? 'hidden' : 'visible';
      const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
      if (view.current && built.current !== layout) {
        view.current.finalize();
        view.current = undefined;
        element.replaceChildren();
      }
      if (view.current) {
        await view.current.data(SOURCE, (spec as unknown as { data: { values: object[] } }).data.values).runAsync();
        element.dataset.points = String(points);
        return;
      }
      const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
      const next = new vega.View(vega.parse(compiled), { renderer: 'canvas', container: element, hover: false });
      view.current = next;
      built.current = layout;
      await next.runAsync();
      element.dataset.points = String(points);
      element.dataset.layout = layout;
    };
    const wait = redrawMs - (performance.now() - drawn.current.at);
    if (drawn.current.timer === 0) {
      if (wait <= 0) void draw();
      else drawn.current.timer = setTimeout(() => void draw(), wait);
    }
  }, [spec]);

  useEffect(() => {
    // Vega is half a megabyte of script: load it before the first figures come, not during training.
    void import('vega');
    void import('vega-lite');
    return () => {
      if (drawn.current.timer) clearTimeout(drawn.current.timer);
      view.current?.finalize();
    };
  }, []);

  return <div id={id} class="chart" ref={container} role="img" aria-label={label} />;
}
