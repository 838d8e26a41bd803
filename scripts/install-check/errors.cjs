const { DataFormatError, NeuronaError } = require('@neurona/errors');
const error = new DataFormatError('glove.txt', 'has 3 numbers, expected 50', { line: 7 });
if (error.message !== 'glove.txt, line 7: has 3 numbers, expected 50') throw new Error(error.message);
if (!NeuronaError.isInstance(error) || !DataFormatError.isInstance(error)) throw new Error('isInstance is wrong');
console.log('errors (require): DataFormatError');
