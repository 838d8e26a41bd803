export type { HistoryChartOptions, HistoryLike } from './history-chart.js';
export { historyChartSpec } from './history-chart.js';
