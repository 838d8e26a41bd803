import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite specification as plain JSON: what the chart functions return, vega-embed draws in a
 * browser and `@neurona/viz/node` renders to SVG and PNG. Its full type is vega-lite's
 * `TopLevelSpec` (cast to it where you edit a spec); this package does not make you install
 * vega-lite for its types.
 */
export interface ChartSpec {
  $schema: string;
  [key: string]: unknown;
}

/** Builds a spec against vega-lite's own type (a development dependency) and hands it out as JSON. */
export function vegaLite(spec: TopLevelSpec & { $schema: string }): ChartSpec {
  return spec as unknown as ChartSpec;
}
