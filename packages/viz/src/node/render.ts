// Node-only rendering: Vega's headless SVG renderer, and resvg for PNG.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';

/** Renders a Vega-Lite spec to an SVG document with Vega's own renderer (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixel density; 2 gives a sharp image on high-DPI screens. Default 2. */
  scale?: number;
}

/** Renders a Vega-Lite spec to PNG bytes: Vega's SVG rasterised by resvg with the system's fonts. */
export async function renderPng(spec: TopLevelSpec, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
