import type { BackendReport } from '@neurona/core';
import type { LayerNode, ParameterCounts } from '@neurona/zoo';
import {
  buildNamedModel,
  countParameters,
  layerGraph,
  multiInputModel,
  multiOutputModel,
  residualBlockModel,
  sharedLayersModel,
  summary,
} from '@neurona/zoo';
import type * as tf from '@tensorflow/tfjs';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { WorkQueue } from '../shell/work-queue.js';
import { catalogue } from './catalogue.js';

/** What the page asks: a model described, on a backend. */
export type ModelsRequest = { type: 'describe'; name: string; backend: BackendChoice };

/** A model as the page shows it: Keras's summary, its parameters and its graph of layers. */
export interface ModelDescription {
  name: string;
  modelName: string;
  summary: string;
  parameters: ParameterCounts;
  graph: LayerNode[];
  inputs: string[];
  outputs: string[];
  seconds: number;
}

export type ModelsEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'described'; model: ModelDescription }
  | { type: 'error'; during: 'describe'; message: string };

const functional: Record<string, () => tf.LayersModel> = {
  'multi-input': () => multiInputModel(),
  'multi-output': () => multiOutputModel(),
  'shared-layers': () => sharedLayersModel(),
  'residual-block': () => residualBlockModel(),
};

/**
 * Builds the chapter-12 page's models (in a Web Worker: VGG's 138 M weights take seconds to make)
 * and describes them; every model is freed once described.
 */
export class ModelsEngine {
  private backend: BackendChoice | undefined;

  private readonly queue = new WorkQueue<ModelsRequest['type']>((during, message) =>
    this.post({ type: 'error', during, message }),
  );

  constructor(private readonly post: (event: ModelsEvent) => void) {}

  handle(request: ModelsRequest): void {
    this.queue.add('describe', () => this.describe(request.name, request.backend));
  }

  private async describe(name: string, backend: BackendChoice) {
    if (!catalogue.some((c) => c.name === name))
      throw new Error(`'${name}' is not a model of this page; known: ${catalogue.map((c) => c.name).join(', ')}`);
    if (backend !== this.backend) {
      this.post({ type: 'backend', report: await chooseBackend(backend) });
      this.backend = backend;
    }
    const started = performance.now();
    const model = functional[name]?.() ?? buildNamedModel(name);
    try {
      this.post({
        type: 'described',
        model: {
          name,
          modelName: model.name,
          summary: summary(model),
          parameters: countParameters(model),
          graph: layerGraph(model),
          inputs: model.inputLayers.map((l) => l.name),
          outputs: model.outputLayers.map((l) => l.name),
          seconds: (performance.now() - started) / 1000,
        },
      });
    } finally {
      model.dispose();
    }
  }
}
