// The chapter 5 and 8 page's engine in a Web Worker: training, predictions and the pictures' figures
// run here, so the page keeps drawing at its frame rate while a CNN trains.
import type { FashionEvent, FashionRequest } from './engine.js';
import { FashionEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: FashionEvent, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<FashionRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new FashionEngine((event, transfer) => scope.postMessage(event, transfer));
scope.onmessage = (event) => engine.handle(event.data);
