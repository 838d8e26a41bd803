import { readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { BackendReport, TrainingState } from '@neurona/core';
import { TrainingInterruptedError } from '@neurona/core';
import type { LoadedCheckpoint } from '@neurona/core/node';
import {
  listCheckpoints,
  loadCheckpoint,
  registerFileSystem,
  saveCheckpoint,
  useBackend,
  useBestBackend,
  WebGpuDeviceLostError,
  type WebGpuDeviceWatch,
  writeFileAtomic,
} from '@neurona/core/node';
import type { HistoryLike, historyChartSpec } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';
import type { RunPlace } from './run-folder.js';
import {
  CHECKPOINTS,
  checkWritable,
  cleanLeftovers,
  finishRunFolder,
  openRunFolder,
  RUN_JSON,
  SUMMARY_JSON,
} from './run-folder.js';

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
  if (WebGpuDeviceLostError.isInstance(explained)) {
    const last = (await listCheckpoints(checkpointsDir)).at(-1);
    return new Error(
      `${explained.message}; ` +
        (last
          ? `the last checkpoint (epoch ${last.epoch}${last.batch ? `, batch ${last.batch}` : ''}) in ${stage} is intact: neurona train --resume ${relativeOrAbsolute(stage)}`
          : 'no checkpoint had been written yet'),
      { cause: error },
    );
  }
  if (TrainingInterruptedError.isInstance(error)) {
    return new ExitError(
      `${error.message} in ${stage}\nresume with: neurona train --resume ${relativeOrAbsolute(stage)}`,
      130,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Refuses the options of `table` (request key → flag) that `request` sets, as
 * "--a, --b are <reason>", before anything is read: the options of another kind of recipe.
 */
export function refuseOptions(
  request: object,
  table: Record<string, string>,
  reason: (pronoun: 'it' | 'them') => string,
): void {
  const given = Object.keys(table).filter((k) => (request as Record<string, unknown>)[k] !== undefined);
  if (given.length === 0) return;
  const one = given.length === 1;
  throw new Error(`${given.map((k) => table[k]).join(', ')} ${one ? 'is' : 'are'} ${reason(one ? 'it' : 'them')}`);
}

/** A run's folder, opened or reopened, with its backend chosen and its last checkpoint read. */
export interface OpenedRun extends RunPlace {
  report: BackendReport;
  checkpointsDir: string;
  /** The last checkpoint of a resumed run (the caller frees it), if it has one. */
  checkpoint: LoadedCheckpoint | undefined;
  /** Rethrows `error`, first removing the run folder if this command made it and it is still empty. */
  giveUp(error: unknown): Promise<never>;
}

/**
 * Everything before a run's data: a resumed folder is cleaned of leftovers and proved
 * writable, a new one opened (`--out`, `--force`); the backend chosen; the last checkpoint
 * read on it, so a damaged one is named before any long work.
 */
export async function openRun(
  resumed: { place: RunPlace } | undefined,
  options: { out?: string; force?: boolean; backend?: string; resume?: string },
  defaultOut: string,
  log: (line: string) => void,
  /** The recipe's WASM threads (one for a small dense net), unless NEURONA_WASM_THREADS says otherwise. */
  wasmThreads?: number,
): Promise<OpenedRun> {
  if (resumed) {
    for (const note of await cleanLeftovers(resumed.place.stage)) log(note);
    await checkWritable(resumed.place.stage).catch((error: Error) => {
      throw new Error(`--resume ${options.resume}: cannot write into it: ${error.message}`);
    });
  }
  const { stage, target } =
    resumed?.place ?? (await openRunFolder(options.out ?? defaultOut, Boolean(options.force), log));
  const created = !resumed && (await readdir(stage)).length === 0;
  const giveUp = async (error: unknown): Promise<never> => {
    // Nothing was trained: a folder this command made, still empty, goes again.
    if (created && (await readdir(stage).catch(() => ['?'])).length === 0)
      await rm(stage, { recursive: true, force: true });
    throw error;
  };
  const threads = wasmThreads !== undefined && !process.env.NEURONA_WASM_THREADS ? { wasmThreads } : {};
  const report = await (options.backend ? useBackend(options.backend, threads) : useBestBackend(threads)).catch(giveUp);
  registerFileSystem();
  const checkpointsDir = join(stage, CHECKPOINTS);
  const checkpoint =
    resumed && (await listCheckpoints(checkpointsDir)).length > 0 ? await loadCheckpoint(checkpointsDir) : undefined;
  return { stage, target, report, checkpointsDir, checkpoint, giveUp };
}

/** Says where a resumed run goes on from, and warns when it goes on on another backend. */
export function logResume(log: (line: string) => void, run: OpenedRun, firstBackend: unknown): void {
  const { stage, checkpoint, report } = run;
  log(
    checkpoint
      ? `resuming ${stage} from its checkpoint at epoch ${checkpoint.epoch}${checkpoint.batch ? `, batch ${checkpoint.batch}` : ''} (step ${checkpoint.step})`
      : `resuming ${stage}: it was stopped before its first checkpoint, so training starts again from the beginning`,
  );
  if (typeof firstBackend === 'string' && firstBackend !== report.backend) {
    log(
      `  note: the run began on ${firstBackend} and goes on on ${report.backend}; the numbers will differ slightly from an uninterrupted run`,
    );
  }
}

/** Writes run.json of a new run: what `--resume` repeats. */
export async function writeRunJson(run: OpenedRun, request: object, settings: object): Promise<void> {
  const json = {
    format: 'neurona-run',
    version: 1,
    request,
    target: run.target,
    settings,
    backend: run.report.backend,
    createdAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(run.stage, RUN_JSON), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Writes a run's history.json and each chart as `<name>.svg` and `<name>.png` in `stage`. Every
 * chart is rendered before any file is written, so a failed render leaves nothing half-written.
 */
export async function writeHistory(
  stage: string,
  history: HistoryLike,
  charts: Record<string, ReturnType<typeof historyChartSpec>>,
) {
  const rendered = await Promise.all(
    Object.entries(charts).map(async ([name, spec]) => [name, await renderSvg(spec), await renderPng(spec)] as const),
  );
  await writeFileAtomic(join(stage, 'history.json'), `${JSON.stringify(history, null, 2)}\n`);
  for (const [name, svg, png] of rendered) {
    await writeFileAtomic(join(stage, `${name}.svg`), svg);
    await writeFileAtomic(join(stage, `${name}.png`), png);
  }
}

/** Writes summary.json last — a folder with it is a complete run — then moves the run where it was asked to go. */
export async function completeRun(place: RunPlace, summary: object) {
  await writeFileAtomic(join(place.stage, SUMMARY_JSON), `${JSON.stringify(summary, null, 2)}\n`);
  await finishRunFolder(place);
}
