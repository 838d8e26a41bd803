import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { GanEvent, GanRequest } from './engine.js';

/** The /gan engine in its Web Worker, or in the page (`?worker=0`, or no Worker). */
export function connectGan(inWorker: boolean, onEvent: (event: GanEvent) => void): Promise<EngineClient<GanRequest>> {
  return connectEngine<GanRequest, GanEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gan' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).GanEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'train', message }),
      stop: { type: 'stop' },
    },
    onEvent,
  );
}
