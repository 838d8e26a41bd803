// Node-only: charts rendered to SVG and PNG (vega, resvg). The code lives in src/node/.

export type { AnimationOptions, GridImage, ImageGridOptions } from './node/image-grid.js';
export { animatedGif, imageGridPng } from './node/image-grid.js';
export type { PngOptions } from './node/render.js';
export { renderPng, renderSvg } from './node/render.js';
