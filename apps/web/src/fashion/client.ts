import { eventLoopYielder } from '@neurona/core';
import type { FashionEvent, FashionRequest } from './engine.js';

/** The page's handle on the engine, wherever it runs. */
export interface FashionClient {
  send(request: FashionRequest): void;
  /** Where the engine runs, for the backend panel. */
  where: string;
  close(): void;
}

/**
 * The engine in a Web Worker (`inWorker`), or in the page when workers are off (`?worker=0`, or
 * no Worker), yielding to the event loop every 12 ms of training so that the page keeps drawing.
 */
export async function connectFashion(
  inWorker: boolean,
  onEvent: (event: FashionEvent) => void,
): Promise<FashionClient> {
  if (inWorker && typeof Worker !== 'undefined') {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fashion' });
    worker.onmessage = (event: MessageEvent<FashionEvent>) => onEvent(event.data);
    worker.onerror = (event) =>
      onEvent({ type: 'error', during: 'train', message: `the training worker failed: ${event.message}` });
    return { send: (request) => worker.postMessage(request), where: 'a Web Worker', close: () => worker.terminate() };
  }
  const { FashionEngine } = await import('./engine.js');
  let closed = false;
  const engine = new FashionEngine((event) => {
    if (!closed) onEvent(event);
  }, eventLoopYielder(12));
  return {
    send: (request) => engine.handle(request),
    where: 'the page (yielding between batches)',
    close: () => {
      closed = true;
      engine.handle({ type: 'stop' });
    },
  };
}
