const { minimumCorpusLength } = require('@neurona/text-rnn');
require('@neurona/text-rnn/node');
if (typeof minimumCorpusLength !== 'function') throw new Error('minimumCorpusLength missing');
console.log('text-rnn (require): the entry points load');
