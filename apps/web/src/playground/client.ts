import { eventLoopYielder } from '@neurona/core';
import type { EngineEvent, EngineRequest } from './engine.js';

/** The page's handle on the engine, wherever it runs. */
export interface EngineClient {
  send(request: EngineRequest): void;
  /** Where the engine runs, for the backend panel. */
  where: string;
  close(): void;
}

/**
 * The engine in a Web Worker (`inWorker`), or in the page when workers are off, yielding to the
 * event loop every 12 ms of training so that the page keeps drawing.
 */
export async function connectEngine(inWorker: boolean, onEvent: (event: EngineEvent) => void): Promise<EngineClient> {
  if (inWorker && typeof Worker !== 'undefined') {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'playground' });
    worker.onmessage = (event: MessageEvent<EngineEvent>) => onEvent(event.data);
    worker.onerror = (event) =>
      onEvent({ type: 'error', during: 'start', message: `the training worker failed: ${event.message}` });
    return { send: (request) => worker.postMessage(request), where: 'a Web Worker', close: () => worker.terminate() };
  }
  const { PlaygroundEngine } = await import('./engine.js');
  let closed = false;
  const engine = new PlaygroundEngine((event) => {
    if (!closed) onEvent(event);
  }, eventLoopYielder(12));
  return {
    send: (request) => engine.handle(request),
    where: 'the page (yielding between batches)',
    close: () => {
      closed = true;
      engine.handle({ type: 'pause' });
    },
  };
}
