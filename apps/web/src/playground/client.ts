import { type EngineClient as Client, connectEngine } from '../shell/engine-client.js';
import type { EngineEvent, EngineRequest } from './engine.js';

/** The page's handle on the Playground's engine, wherever it runs. */
export type EngineClient = Client<EngineRequest>;

/** The Playground's engine in its Web Worker (`inWorker`), or in the page when workers are off. */
export function connectPlayground(inWorker: boolean, onEvent: (event: EngineEvent) => void): Promise<EngineClient> {
  return connectEngine<EngineRequest, EngineEvent>(
    inWorker,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'playground' }),
      inPage: async (post, afterBatch) => new (await import('./engine.js')).PlaygroundEngine(post, afterBatch),
      failed: (message) => ({ type: 'error', during: 'start', message }),
      stop: { type: 'pause' },
    },
    onEvent,
  );
}
