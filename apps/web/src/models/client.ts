import { connectEngine, type EngineClient } from '../shell/engine-client.js';
import type { ModelsEvent, ModelsRequest } from './engine.js';

/** The /models engine in its Web Worker, or in the page when there is none. */
export function connectModels(onEvent: (event: ModelsEvent) => void): Promise<EngineClient<ModelsRequest>> {
  return connectEngine<ModelsRequest, ModelsEvent>(
    true,
    {
      worker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'models' }),
      inPage: async (post) => new (await import('./engine.js')).ModelsEngine(post),
      failed: (message) => ({ type: 'error', during: 'describe', message }),
    },
    onEvent,
  );
}
