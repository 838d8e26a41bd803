// The chapter-14 page's engine in a Web Worker: the DCGAN's training loop and its pictures.
import type { GanEvent, GanRequest } from './engine.js';
import { GanEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: GanEvent, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<GanRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new GanEngine((event, transfer) => scope.postMessage(event, transfer ?? []));
scope.onmessage = (event) => engine.handle(event.data);
