import { InvalidOptionError } from '@neurona/errors';
/** Whether a smaller or a larger value of a monitored figure is better. */
export type MonitorMode = 'min' | 'max' | 'auto';

/** Keras's rule for `mode='auto'`: accuracy-like figures are maximised, the rest minimised. */
export function resolveMode(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

export function isImprovement(current: number, best: number, mode: 'min' | 'max', minDelta = 0): boolean {
  if (Number.isNaN(current)) return false;
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}

export function validateMonitorOptions(owner: string, monitor: string, mode: string) {
  if (!monitor) throw new InvalidOptionError(owner, 'monitor', monitor, "a logged figure such as 'val_loss'");
  if (!['min', 'max', 'auto'].includes(mode)) {
    throw new InvalidOptionError(owner, 'mode', mode, "'min', 'max', 'auto'");
  }
}

export function readMonitored(owner: string, monitor: string, logs: Record<string, number>): number {
  const value = logs[monitor];
  if (value === undefined) {
    const available = Object.keys(logs).join(', ') || 'none';
    throw new InvalidOptionError(owner, 'monitor', monitor, `a figure in the epoch logs (available: ${available})`);
  }
  return value;
}
