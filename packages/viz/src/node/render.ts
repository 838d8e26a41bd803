// Node-only rendering: Vega's headless SVG renderer, and resvg for PNG. vega, vega-lite and
// @resvg/resvg-js are optional peers, loaded on first use: a browser user of the specs installs none.
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import type { ChartSpec } from '../spec.js';
import { importOptional } from './optional.js';

/** Renders a Vega-Lite spec to an SVG document with Vega's own renderer (no browser, no canvas). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const vegaLite = await importOptional<typeof VegaLite>('vega-lite', 'renderSvg');
  const vega = await importOptional<typeof Vega>('vega', 'renderSvg');
  const view = new vega.View(vega.parse(vegaLite.compile(spec as unknown as VegaLite.TopLevelSpec).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of `renderPng`: the pixel density. */
export interface PngOptions {
  /** Pixel density; 2 gives a sharp image on high-DPI screens. Default 2. */
  scale?: number;
}

/**
 * Renders a Vega-Lite spec to PNG bytes: Vega's SVG rasterised by resvg with the system's fonts.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { historyChartSpec } from '@neurona/viz';
 * import { renderPng } from '@neurona/viz/node';
 *
 * await writeFile('history.png', await renderPng(historyChartSpec(history), { scale: 2 }));
 * ```
 */
export async function renderPng(spec: ChartSpec, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const { Resvg } = await importOptional<{ Resvg: typeof ResvgClass }>('@resvg/resvg-js', 'renderPng');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
