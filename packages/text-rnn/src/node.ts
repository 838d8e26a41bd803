// Node-only parts of @neurona/text-rnn: reading text and GloVe files, saving and loading runs.
export { readTextFile } from './node/corpus-file.js';
export { readGloveFile } from './node/glove.js';
export { loadCharModel, saveCharModel, VOCABULARY_JSON } from './node/run-files.js';
