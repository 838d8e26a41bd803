import type { TrainingState } from '@neurona/core';

/**
 * A copy of a checkpoint's state that a page keeps in memory for Resume: `checkpoint.save` is
 * handed tensors that training frees after it returns, so the copy holds clones of them (free it
 * with core's `disposeTrainingState`).
 */
export function keptState(state: TrainingState): TrainingState {
  return { ...state, tensors: state.tensors.map((t) => ({ ...t, tensor: t.tensor.clone() })) };
}
