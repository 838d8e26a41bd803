// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import type { TrainingState } from '@neurona/core';
import type { LabelledSplit } from '@neurona/datasets';
import type { SampleScores } from '@neurona/gan';
import type { LanguageModelRun } from '@neurona/text-rnn';
import type * as tf from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  GanBaselines,
  GanDataName,
  GanRecipe,
  GanRecipeResult,
  GanSettings,
  Recipe,
  RecipeResult,
  RunOptions,
  TextRecipe,
  TextRecipeResult,
  TextSettings,
  TrainingSettings,
} from '../src/index.js';
import {
  ganSettingsFor,
  getGanRecipe,
  getRecipe,
  getTextRecipe,
  runGanRecipe,
  runRecipe,
  runTextRecipe,
  textSettingsFor,
} from '../src/index.js';
import { loadGanData, loadRecipeText } from '../src/node.js';

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

  it('GAN recipes', () => {
    expectTypeOf(getGanRecipe).returns.toEqualTypeOf<GanRecipe>();
    expectTypeOf(ganSettingsFor).returns.toEqualTypeOf<GanSettings>();
    expectTypeOf(runGanRecipe).returns.resolves.toEqualTypeOf<GanRecipeResult>();
    expectTypeOf<GanRecipeResult['final']>().toEqualTypeOf<SampleScores>();
    expectTypeOf<GanRecipeResult['baselines']>().toEqualTypeOf<GanBaselines>();
    expectTypeOf<GanRecipeResult['generator']>().toEqualTypeOf<tf.LayersModel>();
    expectTypeOf<GanDataName>().toEqualTypeOf<'fashion-mnist' | 'mnist' | 'fashion-mnist-sample'>();
    expectTypeOf(loadGanData).returns.resolves.toEqualTypeOf<{ data: LabelledSplit; name: GanDataName; dir: string }>();
  });
});
