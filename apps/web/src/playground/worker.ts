// The Playground's engine in a Web Worker: training and the pictures' predictions run here, so the
// page keeps drawing at its frame rate whatever the network's size.
import type { EngineEvent, EngineRequest } from './engine.js';
import { PlaygroundEngine } from './engine.js';

interface WorkerScope {
  postMessage(message: EngineEvent, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const engine = new PlaygroundEngine((event, transfer) => scope.postMessage(event, transfer));
scope.onmessage = (event) => engine.handle(event.data);
