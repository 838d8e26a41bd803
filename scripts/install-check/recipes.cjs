const { ch09AutoMpgRecipe } = require('@neurona/recipes');
require('@neurona/recipes/node');
if (ch09AutoMpgRecipe.id !== 'ch09-auto-mpg') throw new Error(ch09AutoMpgRecipe.id);
console.log('recipes (require):', ch09AutoMpgRecipe.id);
