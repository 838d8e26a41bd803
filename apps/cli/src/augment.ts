import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AugmentOptions } from '@neurona/augmentation';
import { augmentImages, resolveOptions } from '@neurona/augmentation';
import { createRng } from '@neurona/core';
import { useBackend, useBestBackend, writeFileAtomic } from '@neurona/core/node';
import { readImage } from '@neurona/datasets/node';
import { imageGridPng } from '@neurona/viz/node';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';

/** The longest side a preview variant gets by default: larger photos are shrunk first (aspect kept). */
export const PREVIEW_MAX_SIDE = 512;
/** The augmented batch (float32) may take at most this much memory: well inside the WASM heap with the transforms' temporaries. */
export const PREVIEW_BUDGET_BYTES = 256 * 1024 * 1024;

export interface AugmentPreviewOptions {
  out: string;
  /** Longest side of each variant, in pixels (default PREVIEW_MAX_SIDE). */
  size?: number;
  count: number;
  columns?: number;
  seed: number;
  force?: boolean;
  backend?: string;
  rotationRange?: number;
  widthShift?: number;
  heightShift?: number;
  shear?: number;
  zoom?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  fillMode?: string;
  cval?: number;
  brightness?: [number, number];
  channelShift?: number;
}

/** `neurona augment preview IMAGE --out grid.png`: a grid of `count` augmented variants of one image. */
export async function augmentPreviewCommand(image: string, options: AugmentPreviewOptions, log = console.log) {
  const augment: AugmentOptions = {
    ...(options.rotationRange !== undefined ? { rotationRange: options.rotationRange } : {}),
    ...(options.widthShift !== undefined ? { widthShiftRange: options.widthShift } : {}),
    ...(options.heightShift !== undefined ? { heightShiftRange: options.heightShift } : {}),
    ...(options.shear !== undefined ? { shearRange: options.shear } : {}),
    ...(options.zoom !== undefined ? { zoomRange: options.zoom } : {}),
    ...(options.horizontalFlip ? { horizontalFlip: true } : {}),
    ...(options.verticalFlip ? { verticalFlip: true } : {}),
    ...(options.fillMode !== undefined ? { fillMode: options.fillMode as AugmentOptions['fillMode'] } : {}),
    ...(options.cval !== undefined ? { cval: options.cval } : {}),
    ...(options.brightness ? { brightnessRange: options.brightness } : {}),
    ...(options.channelShift !== undefined ? { channelShiftRange: options.channelShift } : {}),
  };
  // Every check before any work: options, the output path, the image's size against the memory budget.
  resolveOptions(augment);
  const outInfo = await stat(options.out).catch(() => undefined);
  if (outInfo?.isDirectory()) {
    throw new Error(`--out ${options.out} is a folder; give the PNG file to write, such as ${options.out}/grid.png`);
  }
  if (outInfo && !options.force) {
    throw new Error(`--out ${options.out} already exists; pass --force to replace it, or choose another --out`);
  }
  const folder = dirname(options.out);
  if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
    throw new Error(`--out ${options.out}: the folder ${folder} does not exist; create it or choose another --out`);
  }
  await access(folder, constants.W_OK).catch(() => {
    throw new Error(`--out ${options.out}: the folder ${folder} is not writable; choose another --out`);
  });
  const maxSide = options.size ?? PREVIEW_MAX_SIDE;
  const meta = await sharp(image)
    .metadata()
    .catch((error: Error) => {
      throw new Error(
        /missing|no such file/i.test(error.message)
          ? `${image}: file not found`
          : `${image}: not a readable image (${error.message.split('\n')[0]})`,
      );
    });
  const scale = Math.min(1, maxSide / Math.max(meta.width ?? 1, meta.height ?? 1));
  const [h, w] = [
    Math.max(1, Math.round((meta.height ?? 1) * scale)),
    Math.max(1, Math.round((meta.width ?? 1) * scale)),
  ];
  const perVariant = h * w * 3 * 4;
  const largest = Math.floor(PREVIEW_BUDGET_BYTES / perVariant);
  if (options.count > largest) {
    throw new Error(
      `--count ${options.count}: ${options.count} variants of ${w}×${h} would take ${((options.count * perVariant) / 2 ** 20).toFixed(0)} MiB, over the ${PREVIEW_BUDGET_BYTES / 2 ** 20} MiB budget for a preview; at most ${largest} at this size (or a smaller --size)`,
    );
  }
  const report = options.backend ? await useBackend(options.backend) : await useBestBackend();
  // Shrunk before it reaches the backend: a 12-megapixel photo becomes a few hundred pixels a side.
  const picture = await readImage(image, { maxSide });
  const variants = tf.tidy(() => {
    const one = tf.tensor4d(picture.data, [1, picture.height, picture.width, picture.channels], 'int32');
    const batch = tf.tile(one, [options.count, 1, 1, 1]);
    const out = augmentImages(batch, augment, createRng(options.seed));
    return tf.cast(tf.round(tf.clipByValue(out, 0, 255)), 'int32');
  });
  const bytes = Uint8Array.from(await variants.data());
  variants.dispose();
  const size = picture.height * picture.width * picture.channels;
  const cells = Array.from({ length: options.count }, (_, i) => ({
    data: bytes.subarray(i * size, (i + 1) * size),
    height: picture.height,
    width: picture.width,
    channels: picture.channels,
  }));
  const png = await imageGridPng(cells, options.columns ? { columns: options.columns } : {});
  await writeFileAtomic(options.out, png);
  log(
    `wrote ${options.count} augmented variants of ${image} (${picture.width}×${picture.height}${scale < 1 ? `, shrunk from ${meta.width}×${meta.height}` : ''}) to ${options.out} (${report.backend}, seed ${options.seed})`,
  );
}
