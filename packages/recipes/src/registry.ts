import { UnknownNameError } from '@neurona/core';
import { ch05DenseRecipe } from './ch05-dense.js';
import { ch07DeepRecipe, ch07HiddenLayerRecipe, ch07OneNeuronRecipe } from './ch07-playground.js';
import {
  ch08FashionAdamRecipe,
  ch08FashionBasicRecipe,
  ch08FashionBnDropoutRecipe,
  ch08FashionLrDecayRecipe,
  ch08MnistCnnRecipe,
} from './ch08-cnn.js';
import { ch09AutoMpgRecipe } from './ch09-auto-mpg.js';
import {
  ch10DogsCatsRecipe,
  ch11AugmentationRecipe,
  ch11FeatureExtractionRecipe,
  ch11FineTuningRecipe,
} from './ch10-ch11-dogs-cats.js';
import { ch12CifarResnet50Recipe, ch12CifarVgg19Recipe, ch12FunctionalRecipe } from './ch12-functional.js';
import { textRecipes } from './ch13-text.js';
import type { Recipe } from './types.js';

/** Every recipe, in book order. */
export const recipes: readonly Recipe[] = [
  ch05DenseRecipe,
  ch07OneNeuronRecipe,
  ch07HiddenLayerRecipe,
  ch07DeepRecipe,
  ch08MnistCnnRecipe,
  ch08FashionBasicRecipe,
  ch08FashionAdamRecipe,
  ch08FashionBnDropoutRecipe,
  ch08FashionLrDecayRecipe,
  ch09AutoMpgRecipe,
  ch10DogsCatsRecipe,
  ch11AugmentationRecipe,
  ch11FeatureExtractionRecipe,
  ch11FineTuningRecipe,
  ch12FunctionalRecipe,
  ch12CifarResnet50Recipe,
  ch12CifarVgg19Recipe,
];

/** Finds a recipe by id, or throws listing the known ones. */
export function getRecipe(id: string): Recipe {
  const recipe = recipes.find((r) => r.id === id);
  if (!recipe) {
    throw new UnknownNameError(
      'recipe',
      id,
      [...recipes, ...textRecipes].map((r) => r.id),
    );
  }
  return recipe;
}
