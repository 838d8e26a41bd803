import type { TrainingSettings } from './types.js';

const optimizers = ['sgd', 'adam', 'rmsprop'] as const;
/** Epochs and batch sizes above this are typing mistakes, not runs. */
const MAX_COUNT = 1_000_000;

/** Merges user overrides into recipe settings, naming any option whose value is not allowed. */
export function resolveSettings(base: TrainingSettings, overrides: Partial<TrainingSettings> = {}): TrainingSettings {
  const s: TrainingSettings = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (s as unknown as Record<string, unknown>)[key] = value;
  }
  const int = (name: keyof TrainingSettings, min: number, max: number) => {
    const v = s[name] as number;
    if (!Number.isSafeInteger(v) || v < min || v > max)
      throw new Error(`option '${name}' is ${String(v)}; allowed: an integer from ${min} to ${max}`);
  };
  int('epochs', 1, MAX_COUNT);
  int('batchSize', 1, MAX_COUNT);
  int('seed', 0, Number.MAX_SAFE_INTEGER);
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) {
    throw new Error(`option 'learningRate' is ${String(s.learningRate)}; allowed: a number > 0`);
  }
  if (!(s.validationFraction >= 0 && s.validationFraction < 1)) {
    throw new Error(
      `option 'validationFraction' is ${String(s.validationFraction)}; allowed: a number in [0, 1) (0: no validation part, as the book's fit without validation)`,
    );
  }
  if (!optimizers.includes(s.optimizer)) {
    throw new Error(`option 'optimizer' is '${String(s.optimizer)}'; allowed: ${optimizers.join(', ')}`);
  }
  return s;
}
