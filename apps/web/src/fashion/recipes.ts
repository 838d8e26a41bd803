import { recipes } from '@neurona/recipes';

/** The recipes of chapters 5 and 8 (and 12's functional one) that train on the Fashion-MNIST sample the app serves. */
export const fashionRecipes = recipes
  .filter((r) => r.task === 'multiclass' && [r.data, ...(r.alsoRunsOn ?? [])].includes('fashion-mnist-sample'))
  .map((r) => r.id);
