// README example of @neurona/recipes: chapter 9's Auto MPG regression with early stopping.
import { useBestBackend } from '@neurona/core/node';
import { ch09AutoMpgRecipe, runRecipe } from '@neurona/recipes';
import { loadRecipeInput } from '@neurona/recipes/node';

await useBestBackend();
const result = await runRecipe(ch09AutoMpgRecipe, await loadRecipeInput('auto-mpg'));
const { score } = result;
result.dispose();
if (score.metric !== 'mae' || !score.meetsBar) throw new Error(`score: ${JSON.stringify(score)}`);
console.log(`recipes: ch09-auto-mpg test MAE ${score.value.toFixed(2)} MPG (bar ${score.bar})`);
