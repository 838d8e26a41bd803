/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export type { AffineParams, Matrix3 } from './affine.js';
export { affineMatrix, identityParams } from './affine.js';
export type { ImageTransform } from './augment.js';
export { applyAffine, augmentImages, augmentResolved, randomTransform } from './augment.js';
export type { AugmentedBatchesOptions } from './generator.js';
export { augmentDataset, augmentedBatches } from './generator.js';
export type { Factor, FillArgs, FlipMode } from './layers.js';
export {
  augmentationLayers,
  RandomContrast,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  registerAugmentationLayers,
} from './layers.js';
export type { AugmentOptions, FillMode, ResolvedOptions } from './options.js';
export { fillModes, resolveOptions } from './options.js';
