// README example of @neurona/zoo: the chapter-5 network and its Keras-style summary.
import '@tensorflow/tfjs'; // TensorFlow.js and its backends, once in an app
import { createRng } from '@neurona/core';
import { ch05Dense, summary } from '@neurona/zoo';

const model = ch05Dense({ rng: createRng(42) });
const text = summary(model);
model.dispose();
if (!text.includes('Total params: 7,960')) throw new Error(`summary:\n${text}`);
console.log('zoo: ch05Dense, Total params: 7,960');
