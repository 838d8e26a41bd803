import type { Logs } from './types.js';

/** Keras's progress suffix: ` - loss: 0.4821 - accuracy: 0.8312`. */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([key, value]) => ` - ${key}: ${value.toFixed(4)}`)
    .join('');
}

/** Seconds as Keras prints them per epoch and per step: `3s`, `12ms/step`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms`;
  return `${Math.round(seconds * 1e6)}us`;
}
