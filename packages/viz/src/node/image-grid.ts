// Image grids as PNG in Node, encoded with sharp (an optional peer).

import { InvalidInputError, InvalidOptionError } from '@neurona/errors';
import type Sharp from 'sharp';
import { importOptional } from './optional.js';
/** One image for a grid: bytes, row-major, channels last. */
export interface GridImage {
  /** Bytes, row-major, channels last. */
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/** Options of `imageGridPng`: columns, gap and background. */
export interface ImageGridOptions {
  /** Images per row. Default: the smallest square that holds them all. */
  columns?: number;
  /** Pixels between cells. Default 2. */
  gap?: number;
  /** Byte value of the gaps. Default 255 (white). */
  background?: number;
}

/** Lays images of one size out in a grid and encodes it as PNG. */
export async function imageGridPng(images: readonly GridImage[], options: ImageGridOptions = {}): Promise<Uint8Array> {
  const first = images[0];
  if (!first) throw new InvalidInputError('imageGridPng', 'images', 'no images to lay out');
  const { height, width, channels } = first;
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4)
    throw new InvalidInputError(
      'imageGridPng',
      'images',
      `images have ${channels} channels; allowed: 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA)`,
    );
  images.forEach((img, i) => {
    if (img.height !== height || img.width !== width || img.channels !== channels) {
      throw new InvalidInputError(
        'imageGridPng',
        'images',
        `image ${i} is ${img.height}×${img.width}×${img.channels}, image 0 is ${height}×${width}×${channels}; all must match`,
      );
    }
    if (img.data.length !== height * width * channels)
      throw new InvalidInputError(
        'imageGridPng',
        'images',
        `image ${i} has ${img.data.length} bytes, expected ${height * width * channels}`,
      );
  });
  const columns = options.columns ?? Math.ceil(Math.sqrt(images.length));
  if (!Number.isInteger(columns) || columns < 1)
    throw new InvalidOptionError('imageGridPng', 'columns', columns, 'an integer >= 1');
  const gap = options.gap ?? 2;
  const rows = Math.ceil(images.length / columns);
  const gridWidth = columns * width + (columns - 1) * gap;
  const gridHeight = rows * height + (rows - 1) * gap;
  const grid = new Uint8Array(gridWidth * gridHeight * channels).fill(options.background ?? 255);
  images.forEach((img, i) => {
    const top = Math.floor(i / columns) * (height + gap);
    const left = (i % columns) * (width + gap);
    for (let y = 0; y < height; y++) {
      const from = y * width * channels;
      grid.set(img.data.subarray(from, from + width * channels), ((top + y) * gridWidth + left) * channels);
    }
  });
  const sharp = (await importOptional<{ default: typeof Sharp }>('sharp', 'imageGridPng')).default;
  let pipeline = sharp(grid, { raw: { width: gridWidth, height: gridHeight, channels } });
  // sharp writes three channels unless told the image is grey.
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  const png = await pipeline.png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Options of `animatedGif`: how long each frame and the last one show. */
export interface AnimationOptions {
  /** Milliseconds each frame shows. Default 400. */
  delayMs?: number;
  /** Milliseconds the last frame holds before the loop starts again. Default 2,000. */
  lastDelayMs?: number;
}

/**
 * Joins images of one size (PNG or any format sharp reads, e.g. `imageGridPng`'s) into a
 * looping animated GIF, encoded by sharp (libvips + cgif): one frame a picture, in order.
 */
export async function animatedGif(frames: readonly Uint8Array[], options: AnimationOptions = {}): Promise<Uint8Array> {
  if (frames.length === 0) throw new InvalidInputError('animatedGif', 'frames', 'no frames to animate');
  const delayMs = options.delayMs ?? 400;
  const lastDelayMs = options.lastDelayMs ?? 2000;
  for (const [name, value] of [
    ['delayMs', delayMs],
    ['lastDelayMs', lastDelayMs],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 0 && value <= 65_535))
      throw new InvalidOptionError('animatedGif', name, value, 'an integer from 0 to 65535 (milliseconds)');
  }
  const sharp = (await importOptional<{ default: typeof Sharp }>('sharp', 'animatedGif')).default;
  const delay = frames.map((_, i) => (i === frames.length - 1 ? lastDelayMs : delayMs));
  const gif = await sharp([...frames], { join: { animated: true } })
    // One frame a picture, even where two look alike to the quantiser: frame i is epoch i.
    .gif({ loop: 0, delay, keepDuplicateFrames: true })
    .toBuffer();
  return new Uint8Array(gif.buffer, gif.byteOffset, gif.byteLength);
}
