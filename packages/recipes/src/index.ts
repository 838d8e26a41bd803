export { ch05DenseRecipe } from './ch05-dense.js';
export { getRecipe, recipes } from './registry.js';
export { runRecipe } from './run.js';
export { resolveSettings } from './settings.js';
export type { Recipe, RecipeResult, RunOptions, TrainingSettings } from './types.js';
