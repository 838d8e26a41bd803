export type { DcganOptions, ImageShape } from './models.js';
export { checkImageShape, dcganDiscriminator, dcganGenerator, discriminatorLoss, generatorLoss } from './models.js';
export type { GanCallbacks, GanLogs, GanRun, TrainGanOptions } from './train.js';
export { generateImages, latentNoise, trainGan } from './train.js';
