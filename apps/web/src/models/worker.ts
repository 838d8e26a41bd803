// The chapter-12 page's engine in a Web Worker: building VGG16 makes 138 M weights (seconds).
import type { ModelsEvent, ModelsRequest } from './engine.js';
import { ModelsEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: ModelsEvent): void;
  onmessage: ((event: MessageEvent<ModelsRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new ModelsEngine((event) => scope.postMessage(event));
scope.onmessage = (event) => engine.handle(event.data);
