/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export { centerCrop, resize, toChannelsLast, toGrayscale, toRgb } from './images.js';
export { oneHot } from './one-hot.js';
export type { RawImages, RescaleOptions } from './scale.js';
export { imagesToTensor, rescale } from './scale.js';
export type { MinMaxScalerJSON, StandardScalerJSON } from './scalers.js';
export { MinMaxScaler, StandardScaler } from './scalers.js';
export type { PartSize, SplitIndices, SplitOptions, ThreeWaySplit, ThreeWaySplitOptions } from './split.js';
export { classWeights, takeRows, trainValidationSplit, trainValidationTestSplit } from './split.js';
export type { CategoryEncoderJSON, ImputerJSON, ImputeStrategy, Row } from './table.js';
export { CategoryEncoder, dropMissing, Imputer, toMatrix } from './table.js';
export type { PadOptions, VocabularyJSON, WindowOptions } from './text.js';
export {
  CharVocabulary,
  languageModelWindows,
  OOV_ID,
  PAD_ID,
  padSequences,
  WordVocabulary,
  windowCount,
} from './text.js';
