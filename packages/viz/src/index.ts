// The error family this package throws, so its users need not install @neurona/errors to catch them.
export * from '@neurona/errors';
export type { ConfusionMatrix } from './confusion-matrix.js';
export { confusionMatrix, confusionMatrixSpec, formatConfusionMatrix } from './confusion-matrix.js';
export type { HistoryChartOptions, HistoryLike } from './history-chart.js';
export { historyChartSpec } from './history-chart.js';
export type { ChartSpec } from './spec.js';
