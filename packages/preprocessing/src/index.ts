export { oneHot } from './one-hot.js';
export type { RawImages, RescaleOptions } from './scale.js';
export { imagesToTensor, rescale } from './scale.js';
export type { SplitIndices, SplitOptions } from './split.js';
export { takeRows, trainValidationSplit } from './split.js';
