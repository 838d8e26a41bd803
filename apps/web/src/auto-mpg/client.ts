import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { MpgEvent, MpgRequest } from './engine.js';

/** The /auto-mpg engine in its Web Worker, or in the page (`?worker=0`, or no Worker). */
export function connectMpg(inWorker: boolean, onEvent: (event: MpgEvent) => void): Promise<EngineClient<MpgRequest>> {
  return connectEngine<MpgRequest, MpgEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'auto-mpg' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).MpgEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'train', message }),
      stop: { type: 'stop' },
    },
    onEvent,
  );
}
