/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export { ch05DenseRecipe } from './ch05-dense.js';
export { ch07DeepRecipe, ch07HiddenLayerRecipe, ch07OneNeuronRecipe } from './ch07-playground.js';
export {
  ch08FashionAdamRecipe,
  ch08FashionBasicRecipe,
  ch08FashionBnDropoutRecipe,
  ch08FashionLrDecayRecipe,
  ch08MnistCnnRecipe,
} from './ch08-cnn.js';
export { ch09AutoMpgRecipe } from './ch09-auto-mpg.js';
export {
  bookAugmentation,
  ch10DogsCatsRecipe,
  ch11AugmentationRecipe,
  ch11FeatureExtractionRecipe,
  ch11FineTuningRecipe,
} from './ch10-ch11-dogs-cats.js';
export {
  ch12CifarResnet50Recipe,
  ch12CifarVgg19Recipe,
  ch12FunctionalRecipe,
  functionalClassifier,
} from './ch12-functional.js';
export type { TextCorpusName, TextRecipe, TextRecipeResult, TextRunOptions, TextSettings } from './ch13-text.js';
export {
  ch13EmbeddingRecipe,
  ch13MobyDickRecipe,
  ch13OneHotRecipe,
  ch13ShakespeareRecipe,
  getTextRecipe,
  isTextRecipe,
  runTextRecipe,
  textRecipes,
  textSettingsFor,
} from './ch13-text.js';
export type { GanBaselines, GanDataName, GanRecipe, GanRecipeResult, GanRunOptions, GanSettings } from './ch14-gan.js';
export {
  ch14DcganFashionRecipe,
  ch14DcganMnistRecipe,
  GAN_DATA,
  ganCounts,
  ganRecipes,
  ganSettingsFor,
  getGanRecipe,
  isGanRecipe,
  runGanRecipe,
  SCORE_NOISE_SEED,
} from './ch14-gan.js';
export type {
  PlaygroundData,
  PlaygroundPoints,
} from './playground/data.js';
export {
  featureMatrix,
  PLAYGROUND_EXTENT,
  playgroundData,
  playgroundGrid,
  playgroundStreams,
} from './playground/data.js';
export type { ImportContext, PlaygroundModelMetadata, PlaygroundNetwork } from './playground/model.js';
export {
  buildPlaygroundModel,
  playgroundNetworkOf,
  readPlaygroundMetadata,
  setPlaygroundMetadata,
  settingsForModel,
} from './playground/model.js';
export type { PlaygroundPreset } from './playground/presets.js';
export { playgroundPresets } from './playground/presets.js';
export type {
  CheckedPlaygroundSettings,
  PlaygroundActivation,
  PlaygroundFeature,
  PlaygroundOptimizer,
  PlaygroundProblem,
  PlaygroundRegularization,
  PlaygroundSettings,
} from './playground/settings.js';
export {
  checkPlaygroundSettings,
  isRegressionSet,
  playgroundChoices,
  playgroundDefaults,
  playgroundFeatures,
  playgroundPointCount,
} from './playground/settings.js';
export type {
  PlaygroundFigures,
  PlaygroundNodeOutputs,
  PlaygroundTrainerOptions,
  PlaygroundWeights,
} from './playground/trainer.js';
export { featureLabels, PlaygroundTrainer } from './playground/trainer.js';
export { prepareImages } from './prepare.js';
export { getRecipe, recipes } from './registry.js';
export { checkInput, lossFor, prepareRecipeData, runRecipe, settingsFor } from './run.js';
export { resolveSettings } from './settings.js';
export type {
  BuildContext,
  Expectation,
  Limits,
  OptimizerName,
  Prepared,
  Recipe,
  RecipeDataName,
  RecipeInput,
  RecipeResult,
  RegressionLoss,
  RunOptions,
  Task,
  TrainingSettings,
} from './types.js';
