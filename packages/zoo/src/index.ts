export type { FashionCnnOptions } from './cnn.js';
export { fashionCnn, mnistCnn } from './cnn.js';
export type { DenseActivation, DenseClassifierOptions, DenseLayerSpec } from './dense.js';
export { ch05Dense, denseClassifier } from './dense.js';
export type { ParameterCounts } from './summary.js';
export { countParameters, summary } from './summary.js';
