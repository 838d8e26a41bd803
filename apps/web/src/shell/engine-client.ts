import { eventLoopYielder } from '@neurona/core';

/** The page's handle on a page's engine, wherever it runs. */
export interface EngineClient<Request> {
  send(request: Request): void;
  /** Where the engine runs, for the backend panel. */
  where: string;
  close(): void;
}

/** How a page's engine starts: in its worker, or in the page. */
export interface EngineStart<Request, Event> {
  /** `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`, written in the page's folder for Vite to bundle. */
  worker: () => Worker;
  /** The engine made in the page: it posts events and awaits `afterBatch` after every batch. */
  inPage: (
    post: (event: Event) => void,
    afterBatch: () => Promise<void>,
  ) => Promise<{ handle(request: Request): void }>;
  /** The event that reports a failed worker. */
  failed: (message: string) => Event;
  /** The request that stops work, sent when the page closes an engine that runs in it. */
  stop?: Request;
}

/**
 * A page's engine in a Web Worker (`inWorker`, where the browser has them), or in the page,
 * yielding to the event loop every 12 ms of training so that the page keeps drawing.
 */
export async function connectEngine<Request, Event>(
  inWorker: boolean,
  start: EngineStart<Request, Event>,
  onEvent: (event: Event) => void,
): Promise<EngineClient<Request>> {
  if (inWorker && typeof Worker !== 'undefined') {
    const worker = start.worker();
    worker.onmessage = (event: MessageEvent<Event>) => onEvent(event.data);
    worker.onerror = (event) => onEvent(start.failed(`the training worker failed: ${event.message}`));
    return { send: (request) => worker.postMessage(request), where: 'a Web Worker', close: () => worker.terminate() };
  }
  let closed = false;
  const engine = await start.inPage((event) => {
    if (!closed) onEvent(event);
  }, eventLoopYielder(12));
  return {
    send: (request) => engine.handle(request),
    where: 'the page (yielding between batches)',
    close: () => {
      closed = true;
      if (start.stop !== undefined) engine.handle(start.stop);
    },
  };
}
