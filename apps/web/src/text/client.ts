import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { TextEvent, TextRequest } from './engine.js';

/** The /text engine in its Web Worker, or in the page (`?worker=0`, or no Worker). */
export function connectText(
  inWorker: boolean,
  onEvent: (event: TextEvent) => void,
): Promise<EngineClient<TextRequest>> {
  return connectEngine<TextRequest, TextEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'text' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).TextEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'train', message }),
      stop: { type: 'stop' },
    },
    onEvent,
  );
}
