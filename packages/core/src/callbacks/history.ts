import type { Logs, TrainingCallback } from './types.js';

/** The epoch logs of a run, shaped like Keras's `History.history`. */
export interface HistoryRecord {
  epoch: number[];
  history: Record<string, number[]>;
}

/** Records every epoch's logs, as Keras's `History` callback does. */
export class History implements TrainingCallback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  onEpochEnd(epoch: number, logs: Logs) {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      // A metric that starts late (val_* on a later epoch) is padded so indexes line up.
      const series = this.history[key] ?? Array<number>(this.epoch.length - 1).fill(Number.NaN);
      series.push(value);
      this.history[key] = series;
    }
  }

  /** Puts back the record of a run's first epochs (a resumed run goes on from it). */
  restore(record: HistoryRecord) {
    this.epoch.splice(0, this.epoch.length, ...record.epoch);
    for (const key of Object.keys(this.history)) delete this.history[key];
    Object.assign(this.history, structuredClone(record.history));
  }

  toJSON(): HistoryRecord {
    return { epoch: [...this.epoch], history: structuredClone(this.history) };
  }
}
