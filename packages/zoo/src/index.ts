export { ch05Dense, denseClassifier } from './dense.js';
export type { DenseActivation, DenseClassifierOptions, DenseLayerSpec } from './dense.js';
export { countParameters, summary } from './summary.js';
export type { ParameterCounts } from './summary.js';
