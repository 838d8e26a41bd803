import { createRequire } from 'node:module';
import { InvalidOptionError } from '@neurona/errors';
import type { SingleBar } from 'cli-progress';
import { formatDuration, formatLogs } from '../callbacks/format.js';
import type { Logs, TrainingCallback, TrainingContext } from '../callbacks/types.js';

/** Options of `TerminalProgress`: the stream, and a live bar or a line per epoch. */
export interface TerminalProgressOptions {
  /** Default `process.stdout`. */
  stream?: NodeJS.WriteStream;
  /**
   * A live bar per epoch (drawn by the optional peer `cli-progress`); default: when the stream is a
   * TTY and cli-progress is installed. Otherwise one line per epoch.
   */
  live?: boolean;
}

type CliProgress = typeof import('cli-progress');

/** cli-progress, or undefined where it is not installed. */
function loadCliProgress(): CliProgress | undefined {
  try {
    return createRequire(import.meta.url)('cli-progress') as CliProgress;
  } catch {
    return undefined;
  }
}

/**
 * Keras-style progress in a terminal: `Epoch 3/20`, then a live bar
 * `80/80 [====] - 1s 12ms/step - loss: …` when the stream is a TTY, or the same as
 * one line per epoch when it is not (logs, CI).
 */
export class TerminalProgress implements TrainingCallback {
  private readonly stream: NodeJS.WriteStream;
  /** Loaded where a live bar is drawn; undefined for one line per epoch. */
  private readonly cliProgress: CliProgress | undefined;
  private bar: SingleBar | undefined;
  private started = 0;

  constructor(options: TerminalProgressOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    const wanted = options.live ?? Boolean(this.stream.isTTY);
    this.cliProgress = wanted ? loadCliProgress() : undefined;
    if (options.live && !this.cliProgress) {
      throw new InvalidOptionError(
        'TerminalProgress',
        'live',
        true,
        "false: the live bar needs the optional package 'cli-progress' (npm install cli-progress)",
      );
    }
  }

  onEpochBegin(epoch: number, context: TrainingContext) {
    this.started = performance.now();
    if (!this.cliProgress) return;
    this.stream.write(`Epoch ${epoch + 1}/${context.epochs}\n`);
    this.bar = new this.cliProgress.SingleBar({
      stream: this.stream,
      barsize: 30,
      barCompleteChar: '=',
      barIncompleteChar: '.',
      hideCursor: true,
      clearOnComplete: false,
      format: (_options, params, payload: { logs?: Logs }) =>
        `${params.value}/${params.total} [${'='.repeat(Math.round(params.progress * 30)).padEnd(30, '.')}] - ETA: ${params.eta}s${formatLogs(payload.logs ?? {})}`,
    });
    this.bar.start(context.stepsPerEpoch, 0, { logs: {} });
  }

  onBatchEnd(batch: number, logs: Logs) {
    this.bar?.update(batch + 1, { logs });
  }

  onEpochEnd(epoch: number, logs: Logs, context: TrainingContext) {
    const seconds = (performance.now() - this.started) / 1000;
    const steps = context.stepsPerEpoch;
    const timing = `${formatDuration(seconds)} ${formatDuration(seconds / steps)}/step`;
    const bar = `[${'='.repeat(30)}]`;
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
      // Replace the live line with Keras's final line for the epoch, validation included.
      this.stream.write(`\x1b[1A\x1b[2K${steps}/${steps} ${bar} - ${timing}${formatLogs(logs)}\n`);
    } else {
      this.stream.write(`Epoch ${epoch + 1}/${context.epochs} - ${steps}/${steps} - ${timing}${formatLogs(logs)}\n`);
    }
  }

  onTrainEnd() {
    this.bar?.stop();
    this.bar = undefined;
  }
}
