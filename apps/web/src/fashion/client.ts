import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { FashionEvent, FashionRequest } from './engine.js';

export type FashionClient = EngineClient<FashionRequest>;

/** The /fashion engine in its Web Worker, or in the page (`?worker=0`, or no Worker). */
export function connectFashion(inWorker: boolean, onEvent: (event: FashionEvent) => void): Promise<FashionClient> {
  return connectEngine<FashionRequest, FashionEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fashion' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).FashionEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'train', message }),
      stop: { type: 'stop' },
    },
    onEvent,
  );
}
