import type { StatefulLayer } from '@neurona/core';
import { InvalidInputError, InvalidOptionError } from '@neurona/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of `seededDropout`: Keras's Dropout arguments and a seed for its masks. */
export interface DropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}
type DropoutLayer = tfl.layers.Layer & { seed?: number };
// tfjs exports the Dropout layer only through its factory; its class is what we extend.
const Dropout = tfl.layers.dropout({ rate: 0.5 }).constructor as new (args: DropoutArgs) => DropoutLayer;

/**
 * Dropout that draws a new mask for every batch from a seed, as Keras's seeded Dropout
 * does. tfjs's `tf.layers.dropout({ seed })` reuses one mask for every batch — the same
 * units dropped all training long. The layer saves and loads as a plain `Dropout`.
 */
class AdvancingDropout extends Dropout implements StatefulLayer {
  private calls = 0;
  private readonly firstSeed: number;

  constructor(args: DropoutArgs) {
    super(args);
    this.firstSeed = args.seed;
  }

  /** The batches seen so far: a checkpoint keeps it, so a resumed run draws the masks it would have. */
  getTrainingState(): number[] {
    return [this.calls];
  }

  setTrainingState(state: number[]) {
    const [calls] = state;
    if (!(Number.isInteger(calls) && (calls as number) >= 0)) {
      throw new InvalidInputError('seededDropout', 'state', `saved state ${JSON.stringify(state)} is not a call count`);
    }
    this.calls = calls as number;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const saved = this.seed;
    this.seed = this.firstSeed + this.calls;
    this.calls += 1;
    try {
      return super.call(inputs, kwargs);
    } finally {
      this.seed = saved;
    }
  }
}

/** A Dropout layer whose masks follow from `seed` and change every batch; runs repeat for a seed. */
export function seededDropout(args: DropoutArgs): tfl.layers.Layer {
  if (!(args.rate >= 0 && args.rate < 1)) throw new InvalidOptionError('seededDropout', 'rate', args.rate, '[0, 1)');
  return new AdvancingDropout(args);
}
