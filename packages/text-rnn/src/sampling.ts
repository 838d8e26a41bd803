import type { Rng } from '@neurona/core';
import { InvalidOptionError } from '@neurona/core';

/** How the next character is drawn from the model's logits (book 13.3.7). */
export interface SamplingOptions {
  /** Divides the logits: below 1 more predictable text, above 1 more surprising. Default 1; must be > 0. */
  temperature?: number;
  /** Draw only among the k likeliest characters; `topK: 1` is greedy. Default: all. */
  topK?: number;
  /** Draw only among the likeliest characters whose probabilities sum to p, in (0, 1]. Default 1. */
  topP?: number;
}

/** Throws an `InvalidOptionError` naming the first option out of range. */
export function checkSamplingOptions(where: string, options: SamplingOptions): void {
  const { temperature, topK, topP } = options;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature > 0)) {
    throw new InvalidOptionError(where, 'temperature', temperature, 'a number > 0 (for greedy text, topK: 1)');
  }
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) {
    throw new InvalidOptionError(where, 'topK', topK, 'an integer >= 1');
  }
  if (topP !== undefined && !(topP > 0 && topP <= 1)) {
    throw new InvalidOptionError(where, 'topP', topP, 'a number in (0, 1]');
  }
}

/**
 * Draws an index from `softmax(logits / temperature)`, first keeping only the `topK`
 * likeliest and then the smallest set of likeliest whose probability reaches `topP`
 * (ties broken by the lower index, so a draw depends only on the logits and `rng`).
 * Index 0 (padding) is never drawn.
 */
export function sampleFromLogits(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  const { temperature = 1, topK = logits.length, topP = 1 } = options;
  const order = Array.from({ length: logits.length - 1 }, (_, i) => i + 1).sort(
    (a, b) => (logits[b] as number) - (logits[a] as number) || a - b,
  );
  const kept = order.slice(0, Math.max(1, Math.min(topK, order.length)));
  const max = logits[kept[0] as number] as number;
  const weights = kept.map((i) => Math.exp(((logits[i] as number) - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let cut = kept.length;
  if (topP < 1) {
    let mass = 0;
    for (let j = 0; j < kept.length; j++) {
      mass += (weights[j] as number) / total;
      if (mass >= topP) {
        cut = j + 1;
        break;
      }
    }
  }
  const sum = weights.slice(0, cut).reduce((a, b) => a + b, 0);
  let u = rng.next() * sum;
  for (let j = 0; j < cut; j++) {
    u -= weights[j] as number;
    if (u < 0) return kept[j] as number;
  }
  return kept[cut - 1] as number;
}
