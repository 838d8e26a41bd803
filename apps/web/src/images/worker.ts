// The chapters 10–11 page's engine in a Web Worker: decoding, augmentation and training.
import type { ImagesEvent, ImagesRequest } from './engine.js';
import { ImagesEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: ImagesEvent, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ImagesRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new ImagesEngine((event, transfer) => scope.postMessage(event, transfer ?? []));
scope.onmessage = (event) => engine.handle(event.data);
