import { isAbsolute, relative } from 'node:path';
import type { TrainingState } from '@neurona/core';
import { TrainingInterruptedError } from '@neurona/core';
import { listCheckpoints, saveCheckpoint, WebGpuDeviceLostError, type WebGpuDeviceWatch } from '@neurona/core/node';

/** A default-interval checkpoint is written when at least this long has passed since the last one. */
const CHECKPOINT_INTERVAL_MS = 60_000;

export const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Exits the process with a code other than 1 (130 for an interrupt), after its message. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function relativeOrAbsolute(path: string) {
  const r = relative(process.cwd(), path);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/**
 * Ctrl-C (or SIGTERM) during training: the first aborts `signal` (training finishes its batch
 * and saves a checkpoint), a second quits at once — checkpoints are renamed into place
 * whole, so the last one stays intact. `stop()` removes the handlers.
 */
export function watchSignals(log: (line: string) => void) {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    log(`\n${signal}: stopping after this batch and saving a checkpoint (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    stop: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Saves a checkpoint every `every` epochs when asked for, otherwise after an epoch when a
 * minute has passed since the last one, at the end, and when interrupted.
 */
export function checkpointSaver(dir: string, every: number | undefined, epochs: number) {
  let lastSave = performance.now();
  return async (state: TrainingState) => {
    const due =
      every !== undefined ||
      state.batch > 0 ||
      state.stopped ||
      state.epoch >= epochs ||
      performance.now() - lastSave >= CHECKPOINT_INTERVAL_MS;
    if (!due) return;
    await saveCheckpoint(dir, state);
    lastSave = performance.now();
  };
}

/** Turns a failed training into what the user should read: a lost GPU, an interrupt (exit 130), or the error itself. */
export async function explainTrainingFailure(
  error: unknown,
  watch: WebGpuDeviceWatch,
  checkpointsDir: string,
  stage: string,
): Promise<Error> {
  const explained = await watch.explain(error);
  if (explained instanceof WebGpuDeviceLostError) {
    const last = (await listCheckpoints(checkpointsDir)).at(-1);
    return new Error(
      `${explained.message}; ` +
        (last
          ? `the last checkpoint (epoch ${last.epoch}${last.batch ? `, batch ${last.batch}` : ''}) in ${stage} is intact: neurona train --resume ${relativeOrAbsolute(stage)}`
          : 'no checkpoint had been written yet'),
      { cause: error },
    );
  }
  if (error instanceof TrainingInterruptedError) {
    return new ExitError(
      `${error.message} in ${stage}\nresume with: neurona train --resume ${relativeOrAbsolute(stage)}`,
      130,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
