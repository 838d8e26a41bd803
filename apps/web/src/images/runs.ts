/**
 * The runs of `/images`, in the book's order: the chapter-10 CNN as it is; chapter 11's with
 * Dropout on augmented batches; and chapter 11's transfer learning on a pretrained MobileNetV2,
 * by feature extraction and by fine-tuning. Each is the recipe it names (the page reads only
 * these names, and the worker the recipes).
 */
export const RUN_RECIPES = {
  plain: 'ch10-dogs-cats',
  augmented: 'ch11-augmentation',
  features: 'ch11-feature-extraction',
  'fine-tuning': 'ch11-fine-tuning',
} as const;

/** A run of `/images`. */
export type RunName = keyof typeof RUN_RECIPES;

/** The runs in the book's order. */
export const RUN_NAMES = Object.keys(RUN_RECIPES) as RunName[];

/**
 * Each run's epochs to start with: the CNN's 10 on a few pictures; the classifier on the
 * pretrained features 20, as the recipe (they cost little once the features are out); and
 * fine-tuning 5 in each of its two phases, as the recipe.
 */
export const DEFAULT_EPOCHS: Record<RunName, number> = { plain: 10, augmented: 10, features: 20, 'fine-tuning': 5 };

/** The most epochs a run on this page may take. */
export const MAX_EPOCHS = 200;
