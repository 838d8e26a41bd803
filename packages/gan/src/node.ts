// Node-only parts of @neurona/gan: saving and loading a GAN's networks and the scoring classifier.
export type { ClassifierFacts, ClassifierInfo, GanInfo } from './node/run-files.js';
export {
  CLASSIFIER_JSON,
  GAN_JSON,
  loadGenerator,
  loadScoringClassifier,
  saveGan,
  saveScoringClassifier,
} from './node/run-files.js';
