const { historyChartSpec } = require('@neurona/viz');
const spec = historyChartSpec({ history: { loss: [1, 0.5] } });
if (!spec || typeof spec !== 'object') throw new Error('no spec');
console.log('viz (require): a history chart spec');
