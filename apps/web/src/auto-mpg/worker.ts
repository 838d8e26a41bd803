// The chapter-9 page's engine in a Web Worker: the table, the training and the predictions.
import type { MpgEvent, MpgRequest } from './engine.js';
import { MpgEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: MpgEvent): void;
  onmessage: ((event: MessageEvent<MpgRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new MpgEngine((event) => scope.postMessage(event));
scope.onmessage = (event) => engine.handle(event.data);
