const { fillModes } = require('@neurona/augmentation');
if (!fillModes.includes('nearest')) throw new Error(`fillModes: ${fillModes}`);
console.log('augmentation (require): fill modes', fillModes.join(', '));
