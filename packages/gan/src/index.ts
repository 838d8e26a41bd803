/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export type { LabelledImages, ScoringClassifier, ScoringClassifierOptions } from './classifier.js';
export { trainScoringClassifier } from './classifier.js';
export type { DcganOptions, ImageShape } from './models.js';
export { checkImageShape, dcganDiscriminator, dcganGenerator, discriminatorLoss, generatorLoss } from './models.js';
export type { FeatureStatistics, SampleScorerOptions, SampleScores } from './quality.js';
export {
  classifierScore,
  classSpread,
  featureStatistics,
  frechetDistance,
  MODE_COLLAPSE_SPREAD,
  SampleScorer,
  traceSqrtProduct,
} from './quality.js';
export type { GanCallbacks, GanLogs, GanRun, TrainGanOptions } from './train.js';
export { generateImages, latentNoise, trainGan } from './train.js';
