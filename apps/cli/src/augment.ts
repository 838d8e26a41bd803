import { stat } from 'node:fs/promises';
import type { AugmentOptions } from '@neurona/augmentation';
import { augmentImages, resolveOptions } from '@neurona/augmentation';
import { createRng } from '@neurona/core';
import { useBackend, useBestBackend, writeFileAtomic } from '@neurona/core/node';
import { readImage } from '@neurona/datasets/node';
import { imageGridPng } from '@neurona/viz/node';
import * as tf from '@tensorflow/tfjs';

export interface AugmentPreviewOptions {
  out: string;
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
  // Every check before any work: options, then the output path.
  resolveOptions(augment);
  if (!options.force && (await stat(options.out).catch(() => undefined))) {
    throw new Error(`--out ${options.out} already exists; pass --force to replace it, or choose another --out`);
  }
  const report = options.backend ? await useBackend(options.backend) : await useBestBackend();
  const picture = await readImage(image);
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
    `wrote ${options.count} augmented variants of ${image} to ${options.out} (${report.backend}, seed ${options.seed})`,
  );
}
