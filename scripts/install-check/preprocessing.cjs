const { createRng } = require('@neurona/core');
const { oneHot, trainValidationSplit } = require('@neurona/preprocessing');
const { train, validation } = trainValidationSplit(10, { validationFraction: 0.2, rng: createRng(1) });
if (train.length !== 8 || validation.length !== 2) throw new Error(`split: ${train.length}/${validation.length}`);
if (typeof oneHot !== 'function') throw new Error('oneHot missing');
console.log('preprocessing (require): a split of 10 rows is 8/2');
