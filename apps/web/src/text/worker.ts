// The chapter-13 page's engine in a Web Worker: training the character model and writing with it.
import type { TextEvent, TextRequest } from './engine.js';
import { TextEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: TextEvent): void;
  onmessage: ((event: MessageEvent<TextRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new TextEngine((event) => scope.postMessage(event));
scope.onmessage = (event) => engine.handle(event.data);
