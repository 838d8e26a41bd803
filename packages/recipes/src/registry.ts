import { ch05DenseRecipe } from './ch05-dense.js';
import type { Recipe } from './types.js';

/** Every recipe, in book order. */
export const recipes: readonly Recipe[] = [ch05DenseRecipe];

/** Finds a recipe by id, or throws listing the known ones. */
export function getRecipe(id: string): Recipe {
  const recipe = recipes.find((r) => r.id === id);
  if (!recipe) throw new Error(`Unknown recipe '${id}'. Known recipes: ${recipes.map((r) => r.id).join(', ')}`);
  return recipe;
}
