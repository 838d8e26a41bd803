/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export type { ApplicationOptions } from './applications.js';
export { mobilenet, resnet50, vgg16, vgg19 } from './applications.js';
export { checkedSequential, checkShapes } from './check-shapes.js';
export type { FashionCnnOptions } from './cnn.js';
export { dogsCatsCnn, fashionCnn, mnistCnn } from './cnn.js';
export type { DenseActivation, DenseClassifierOptions, DenseInitializer, DenseLayerSpec } from './dense.js';
export { ch05Dense, denseActivations, denseClassifier } from './dense.js';
export type { DropoutArgs } from './dropout.js';
export { seededDropout } from './dropout.js';
export { multiInputModel, multiOutputModel, residualBlockModel, sharedLayersModel } from './functional.js';
export type { ConvFilters, LayerActivation } from './inspect.js';
export { convFilters, layerActivations } from './inspect.js';
export type { OrthogonalArgs } from './orthogonal.js';
export { householderQ, orthogonal } from './orthogonal.js';
export type { ModelBuildOptions, ZooEntry } from './registry.js';
export { buildNamedModel, zoo } from './registry.js';
export type { LayerNode, ParameterCounts } from './summary.js';
export { countParameters, layerGraph, summary } from './summary.js';
export type { HeadOptions, WeightMismatch } from './transfer.js';
export {
  convBase,
  copyWeights,
  extractFeatures,
  fineTune,
  fineTuneLayer,
  freeze,
  loadPretrained,
  stackHead,
  withHead,
} from './transfer.js';
