/**
 * Time left in a run at the pace since its clock (re)started: `restart()` when a run begins or
 * resumes, then `secondsLeft(done, total)` at each progress report. The first report after a
 * restart starts the clock, so the pace leaves out the time before training (loading, a resumed
 * run's setup); until a second report it is unknown (NaN).
 */
export class Pace {
  private started = 0;
  private doneAtStart = -1;

  restart() {
    this.doneAtStart = -1;
  }

  secondsLeft(done: number, total: number): number {
    const now = performance.now();
    if (this.doneAtStart < 0) {
      this.started = now;
      this.doneAtStart = done;
    }
    const rate = (done - this.doneAtStart) / ((now - this.started) / 1000);
    return rate > 0 && Number.isFinite(rate) ? (total - done) / rate : Number.NaN;
  }
}

/** Seconds in words for a progress line: `42 s`, `3 min 5 s`, `…` while unknown. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '…';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
}
