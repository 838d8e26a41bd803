import { InvalidOptionError } from '@neurona/core';
import type { TrainingSettings } from './types.js';

const optimizers = ['sgd', 'adam', 'rmsprop'] as const;
/** Epochs and batch sizes above this are typing mistakes, not runs. */
const MAX_COUNT = 1_000_000;

/** Merges user overrides into recipe settings, naming any option whose value is not allowed. */
export function resolveSettings(
  base: TrainingSettings,
  overrides: Partial<TrainingSettings> = {},
  /** Who asks, to start the error messages: the recipe's id. */
  where = 'resolveSettings',
): TrainingSettings {
  const s: TrainingSettings = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (s as unknown as Record<string, unknown>)[key] = value;
  }
  const int = (name: keyof TrainingSettings, min: number, max: number) => {
    const v = s[name] as number;
    if (!Number.isSafeInteger(v) || v < min || v > max)
      throw new InvalidOptionError(where, name, v, `an integer from ${min} to ${max}`);
  };
  int('epochs', 1, MAX_COUNT);
  int('batchSize', 1, MAX_COUNT);
  int('seed', 0, Number.MAX_SAFE_INTEGER);
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) {
    throw new InvalidOptionError(where, 'learningRate', s.learningRate, 'a number > 0');
  }
  if (!(s.validationFraction >= 0 && s.validationFraction < 1)) {
    throw new InvalidOptionError(
      where,
      'validationFraction',
      s.validationFraction,
      "a number in [0, 1) (0: no validation part, as the book's fit without validation)",
    );
  }
  if (!optimizers.includes(s.optimizer)) {
    throw new InvalidOptionError(where, 'optimizer', s.optimizer, optimizers.join(', '));
  }
  return s;
}
