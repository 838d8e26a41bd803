/**
 * Draws `values` (a `width × height` picture, row-major) into a canvas in grey, black at `low`
 * and white at `high`, one canvas pixel per value (CSS scales it up, pixelated).
 */
export function drawGrey(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height: number,
  low: number,
  high: number,
  /** Values `stride` apart from `offset` (a channel of a channels-last map). */
  { stride = 1, offset = 0 } = {},
) {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  const span = high - low || 1;
  for (let i = 0; i < width * height; i++) {
    const v = Math.round((255 * ((values[i * stride + offset] as number) - low)) / span);
    const g = Math.min(255, Math.max(0, v));
    image.data[4 * i] = g;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = g;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** The largest of `values` (0 for none or all below 0): a feature map's white point. */
export function maxOf(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  return max;
}

/**
 * A drawing as the models see an image: the canvas shrunk to 28 × 28 (the browser's smoothing
 * averages the strokes), its brightness in [0, 1], ink high, as Fashion-MNIST's items on black.
 */
export function canvasTo28(canvas: HTMLCanvasElement): Float32Array {
  const small = document.createElement('canvas');
  small.width = 28;
  small.height = 28;
  const context = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(canvas, 0, 0, 28, 28);
  const { data } = context.getImageData(0, 0, 28, 28);
  const pixels = new Float32Array(28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (data[4 * i] as number) / 255;
  return pixels;
}
