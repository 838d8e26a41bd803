export type { DataLocation, NeuronaErrorOptions } from '@neurona/errors';
export {
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  isMarked,
  MissingPackageError,
  NeuronaError,
  UnknownNameError,
} from '@neurona/errors';
export type { ConfusionMatrix, WrongPrediction } from './confusion-matrix.js';
export { confidentlyWrong, confusionMatrix, confusionMatrixSpec, formatConfusionMatrix } from './confusion-matrix.js';
export type { HistoryChartOptions, HistoryLike } from './history-chart.js';
export { historyChartSpec } from './history-chart.js';
export type { PredictedVsTrueOptions } from './scatter.js';
export { predictedVsTrueSpec } from './scatter.js';
export type { ChartSpec } from './spec.js';
