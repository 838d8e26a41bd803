const { createRng } = require('@neurona/core');
const { nodeBackendNames } = require('@neurona/core/node');
const a = createRng(7).next();
if (!(a >= 0 && a < 1) || createRng(7).next() !== a) throw new Error('createRng is not a seeded generator in [0, 1)');
if (!nodeBackendNames.includes('wasm')) throw new Error(`nodeBackendNames: ${nodeBackendNames}`);
console.log('core (require): createRng and the Node backends load');
