// Decoding image files in Node with sharp (libvips), an optional peer: only users who
// read images install it.

import { DataFormatError, FileNotFoundError, InvalidOptionError } from '@neurona/errors';
import type { Sharp } from 'sharp';
import { importOptional } from './optional.js';

/** One decoded image: bytes in row-major order, channels last. */
export interface RawImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

type SharpFactory = (input?: string | Buffer | Uint8Array, options?: object) => Sharp;
let factory: SharpFactory | undefined;

/** Loads sharp (an optional peer), or explains how to get it. */
export async function loadSharp(): Promise<SharpFactory> {
  factory ??= (await importOptional<{ default: SharpFactory }>('sharp', 'decoding images')).default;
  return factory;
}

/** Options of `readImage`: channels, and an exact size or a largest side. */
export interface ReadImageOptions {
  /** 1 for grayscale, 3 for RGB (alpha dropped). Default: 3. */
  channels?: 1 | 3;
  /** Resize to exactly `[height, width]` (aspect ratio not kept, as Keras's `load_img(target_size=…)`). */
  size?: [number, number];
  /**
   * Shrink (never enlarge) so neither side exceeds this, keeping the aspect ratio: big photos stay
   * small in memory.
   */
  maxSide?: number;
}

/** Decodes a JPEG, PNG, WebP, GIF or TIFF file; an image that does not decode is an error naming the file. */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<RawImage> {
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new InvalidOptionError('readImage', 'channels', channels, '1, 3');
  }
  const { size, maxSide } = options;
  if (size && !size.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new InvalidOptionError('readImage', 'size', size, '[height, width] of positive integers');
  }
  if (maxSide !== undefined && !(Number.isInteger(maxSide) && maxSide >= 1)) {
    throw new InvalidOptionError('readImage', 'maxSide', maxSide, 'an integer >= 1');
  }
  const sharp = await loadSharp();
  try {
    let pipeline = sharp(path, { failOn: 'error' }).removeAlpha();
    if (size) pipeline = pipeline.resize(size[1], size[0], { fit: 'fill' });
    else if (maxSide !== undefined) {
      pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
    }
    pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      height: info.height,
      width: info.width,
      channels: info.channels,
    };
  } catch (error) {
    const message = (error as Error).message;
    if (/no such file|ENOENT|missing/i.test(message))
      throw new FileNotFoundError(path, `${path}: file not found`, { cause: error });
    throw new DataFormatError(path, `not a readable image (${message.split('\n')[0]})`, {}, { cause: error });
  }
}
