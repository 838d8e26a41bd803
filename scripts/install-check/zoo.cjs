const { createRng } = require('@neurona/core');
const { ch05Dense } = require('@neurona/zoo');
require('@tensorflow/tfjs');
const model = ch05Dense({ rng: createRng(42) });
const n = model.countParams();
model.dispose();
if (n !== 7960) throw new Error(`${n} parameters`);
console.log('zoo (require): ch05Dense has', n, 'parameters');
