/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
export type { Corpus, CorpusOptions } from './corpus.js';
export { minimumCorpusLength, prepareCorpus, unigramEntropy, windowTensors } from './corpus.js';
export type { GeneratedText, GenerateOptions } from './generate.js';
export { CharGenerator, statefulCopy } from './generate.js';
export type { EmbeddingFromVectors, ParseGloveOptions, WordVectors } from './glove.js';
export { embeddingFromVectors, GloveParser, parseGloveLines, setEmbeddingVectors } from './glove.js';
export type { CharModelOptions, CharModelShape, InputEncoding, RecurrentCell } from './model.js';
export {
  charLanguageModel,
  compileCharModel,
  INPUT_ENCODINGS,
  RECURRENT_CELLS,
  resolveShape,
  sparseCrossEntropyFromLogits,
} from './model.js';
export type { SamplingOptions } from './sampling.js';
export { checkSamplingOptions, sampleFromLogits } from './sampling.js';
export type {
  LanguageModelCheckpointExtra,
  LanguageModelRun,
  LanguageModelTraining,
  TrainLanguageModelOptions,
} from './train.js';
export { trainLanguageModel } from './train.js';
