import { PLAYGROUND_EXTENT } from '@neurona/recipes';

// The Playground's colours: orange for −1 (class 0), white-grey for 0, blue for +1 (class 1).
const NEGATIVE = [245, 147, 34] as const;
const MIDDLE = [232, 234, 235] as const;
const POSITIVE = [8, 119, 189] as const;

/** The colour of a value in [−1, 1] (clamped), as `[r, g, b]`. */
export function colourOf(value: number): [number, number, number] {
  const v = Math.max(-1, Math.min(1, Number.isFinite(value) ? value : 0));
  const [from, to, t] = v < 0 ? [MIDDLE, NEGATIVE, -v] : [MIDDLE, POSITIVE, v];
  return [0, 1, 2].map((i) => Math.round((from[i] as number) + ((to[i] as number) - (from[i] as number)) * t)) as [
    number,
    number,
    number,
  ];
}

/** 512 colours over [−1, 1], `LUT[3k..3k+2]`: a picture's pixels are looked up, not computed. */
const LUT_SIZE = 512;
const LUT = new Uint8ClampedArray(LUT_SIZE * 3);
for (let k = 0; k < LUT_SIZE; k++) LUT.set(colourOf((2 * k) / (LUT_SIZE - 1) - 1), 3 * k);

/** A CSS colour for a value in [−1, 1]. */
export const cssColour = (value: number) => `rgb(${colourOf(value).join(',')})`;

/** One small canvas per picture size, reused: a picture is put there at its own size, then scaled. */
const scratches = new Map<number, CanvasRenderingContext2D>();
function scratchOf(size: number): CanvasRenderingContext2D {
  let context = scratches.get(size);
  if (!context) {
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    context = canvas.getContext('2d') as CanvasRenderingContext2D;
    scratches.set(size, context);
  }
  return context;
}

/**
 * Paints a `density × density` grid of values (row by row from the top) onto `canvas`, scaled to
 * its size, each value mapped to [−1, 1] by `toUnit`. `every` > 1 takes every so many rows and
 * columns: a 40-pixel thumbnail needs a quarter of a 100 × 100 grid, not all of it.
 */
export function paintGrid(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  density: number,
  toUnit: (v: number) => number,
  every = 1,
) {
  const size = Math.floor(density / every);
  const small = scratchOf(size);
  const image = small.createImageData(size, size);
  const pixels = image.data;
  for (let i = 0; i < size * size; i++) {
    const row = Math.floor(i / size) * every;
    const col = (i % size) * every;
    const v = toUnit(values[row * density + col] as number);
    const unit = v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v;
    const k = 3 * Math.round(((unit + 1) / 2) * (LUT_SIZE - 1));
    pixels[4 * i] = LUT[k] as number;
    pixels[4 * i + 1] = LUT[k + 1] as number;
    pixels[4 * i + 2] = LUT[k + 2] as number;
    pixels[4 * i + 3] = 255;
  }
  small.putImageData(image, 0, 0);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small.canvas, 0, 0, canvas.width, canvas.height);
}

/**
 * Draws points (`count × 2` coordinates in the plane) coloured by their labels (`toUnit` maps a
 * label to [−1, 1]); training points ringed in white, test points in black, as the Playground.
 */
export function drawPoints(
  canvas: HTMLCanvasElement,
  points: Float32Array,
  labels: Float32Array,
  toUnit: (v: number) => number,
  ring: 'white' | 'black',
) {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const scale = canvas.width / (2 * PLAYGROUND_EXTENT);
  ctx.lineWidth = 1;
  ctx.strokeStyle = ring;
  for (let i = 0; i < labels.length; i++) {
    const x = ((points[2 * i] as number) + PLAYGROUND_EXTENT) * scale;
    const y = (PLAYGROUND_EXTENT - (points[2 * i + 1] as number)) * scale;
    ctx.beginPath();
    ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = cssColour(toUnit(labels[i] as number));
    ctx.fill();
    ctx.stroke();
  }
}
