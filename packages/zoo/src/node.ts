// Node-only: pretrained models from files, URLs and the nsfwjs package. The code lives in src/node/.
export type { LoadModelOptions } from './node/pretrained.js';
export {
  DEFAULT_LOAD_TIMEOUT_MS,
  loadModel,
  loadNsfwjsMobileNetV2,
  NSFWJS_MOBILENET_V2,
  readNsfwjsMobileNetV2,
} from './node/pretrained.js';
