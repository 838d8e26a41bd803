import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { ImagesEvent, ImagesRequest } from './engine.js';

/** The /images engine in its Web Worker, or in the page (`?worker=0`, or no Worker). */
export function connectImages(
  inWorker: boolean,
  onEvent: (event: ImagesEvent) => void,
): Promise<EngineClient<ImagesRequest>> {
  return connectEngine<ImagesRequest, ImagesEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'images' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).ImagesEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'train', message }),
      stop: { type: 'stop' },
    },
    onEvent,
  );
}
