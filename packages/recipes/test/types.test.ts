// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import type { TrainingState } from '@neurona/core';
import type { LanguageModelRun } from '@neurona/text-rnn';
import type * as tf from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Recipe,
  RecipeResult,
  RunOptions,
  TextRecipe,
  TextRecipeResult,
  TextSettings,
  TrainingSettings,
} from '../src/index.js';
import { getRecipe, getTextRecipe, runRecipe, runTextRecipe, textSettingsFor } from '../src/index.js';
import { loadRecipeText } from '../src/node.js';

describe('the public types of @neurona/recipes', () => {
  it('image and table recipes', () => {
    expectTypeOf(getRecipe).returns.toEqualTypeOf<Recipe>();
    expectTypeOf(runRecipe).returns.resolves.toEqualTypeOf<RecipeResult>();
    expectTypeOf<RunOptions['resumeFrom']>().toEqualTypeOf<TrainingState | undefined>();
    expectTypeOf<RecipeResult['model']>().toEqualTypeOf<tf.LayersModel>();
    expectTypeOf<TrainingSettings['optimizer']>().toEqualTypeOf<'sgd' | 'adam' | 'rmsprop'>();
  });

  it('text recipes', () => {
    expectTypeOf(getTextRecipe).returns.toEqualTypeOf<TextRecipe>();
    expectTypeOf(textSettingsFor).returns.toEqualTypeOf<TextSettings>();
    expectTypeOf(runTextRecipe).returns.resolves.toEqualTypeOf<TextRecipeResult>();
    expectTypeOf<TextRecipeResult>().toMatchTypeOf<LanguageModelRun>();
    expectTypeOf<TextRecipeResult['score']>().toEqualTypeOf<{ validationLoss: number; bar: number; passed: boolean }>();
    expectTypeOf<TextSettings['cell']>().toEqualTypeOf<'gru' | 'lstm'>();
    expectTypeOf<TextRecipe['corpus']>().toEqualTypeOf<'shakespeare' | 'moby-dick'>();
    expectTypeOf(loadRecipeText).returns.resolves.toEqualTypeOf<{ text: string; source: string }>();
  });
});
