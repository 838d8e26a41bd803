const { checkImageShape } = require('@neurona/gan');
require('@neurona/gan/node');
checkImageShape('imageShape', [28, 28, 1]);
console.log('gan (require): 28×28×1 is an image shape the generator reaches');
