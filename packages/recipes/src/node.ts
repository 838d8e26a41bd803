// Node-only: the loaders recipes take their data and pretrained models from (the CLI and the
// benchmark use these; a browser app loads its own and calls runRecipe the same way).

export type { ScoringClassifierOptions } from './node/gan.js';
export { defaultClassifierDir, loadGanData, scoringClassifierFor } from './node/gan.js';
export type { LoadInputOptions, LoadTextOptions } from './node/loaders.js';
export {
  loadModel,
  loadNsfwjsMobileNetV2,
  loadRecipeInput,
  loadRecipeText,
  NSFWJS_MOBILENET_V2,
} from './node/loaders.js';
