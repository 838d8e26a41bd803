import type { BackendReport } from '@neurona/core';
import type { PlaygroundData, PlaygroundFigures, PlaygroundSettings, PlaygroundWeights } from '@neurona/recipes';
import { PlaygroundTrainer, playgroundGrid, settingsForModel } from '@neurona/recipes';
import { type BackendChoice, chooseBackend } from '../shell/backends.js';
import { modelFiles } from '../shell/model-export.js';
import { loadModelFiles, type ModelFiles } from '../shell/model-files.js';
import { GRID, NEURON_GRID, subsample } from './grid.js';

/** At most this often a frame (pictures, weights) goes to the page while playing: ten a second. */
const FRAME_MS = 100;

/** What the page asks of the engine. */
export type EngineRequest =
  | { type: 'start'; settings: PlaygroundSettings; backend: BackendChoice }
  | { type: 'import'; model: ModelFiles; settings: PlaygroundSettings }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'learningRate'; rate: number }
  | { type: 'export'; name: string };

/** One epoch's losses, for the chart and the test. */
export interface LossPoint {
  epoch: number;
  train: number;
  test: number;
}

/** What the engine tells the page. */
export type EngineEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'ready'; settings: PlaygroundSettings; changes: string[]; data: PlaygroundData; epoch: number }
  | {
      type: 'frame';
      /** The settings of the network drawn (the page's may have moved on). */
      settings: PlaygroundSettings;
      figures: PlaygroundFigures;
      /** The epochs trained since the last frame. */
      losses: LossPoint[];
      /**
       * Per layer, each neuron's output over the plane: the hidden layers' at `NEURON_GRID`, the
       * output's at `GRID` (the big picture).
       */
      layers: Float32Array[][];
      weights: PlaygroundWeights;
      playing: boolean;
      /** Epochs a second since play was pressed (0 before any). */
      epochsPerSecond: number;
    }
  | { type: 'exported'; name: string; json: string; weights: ArrayBuffer }
  | { type: 'error'; during: EngineRequest['type'] | 'train'; message: string };

/** Where events go, with the buffers that can be moved rather than copied. */
export type Post = (event: EngineEvent, transfer: Transferable[]) => void;

/** A zero-delay turn of the event loop (setTimeout's is clamped to 4 ms when nested): lets messages in. */
function macrotask(): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * Trains the Playground's network and draws its pictures, wherever it runs: in a Web Worker (the
 * page stays free) or in the page itself. Work runs one piece at a time, in order: a request that
 * arrives during an epoch waits for it to end, and play goes on epoch by epoch, a frame at most
 * every 40 ms. Owns the trainer and every tensor it makes.
 */
export class PlaygroundEngine {
  private trainer: PlaygroundTrainer | undefined;
  private backend: BackendChoice | undefined;
  private queue: Promise<void> = Promise.resolve();
  private playing = false;
  private pending: LossPoint[] = [];
  private lastFrame = 0;
  private played = { epochs: 0, ms: 0, since: 0 };
  private readonly grid = playgroundGrid(GRID);

  constructor(
    private readonly post: Post,
    /** Awaited after each batch: in the page, a yield to the event loop so that it keeps drawing. */
    private readonly afterBatch?: () => Promise<void>,
  ) {}

  /** Takes a request from the page. */
  handle(request: EngineRequest): void {
    switch (request.type) {
      case 'play':
        if (!this.playing) {
          this.playing = true;
          this.played.since = performance.now();
          this.enqueue('train', () => this.tick());
        }
        return;
      case 'pause':
        if (!this.playing) return;
        this.pause();
        // The page learns that play stopped from this frame (and draws the last epoch).
        this.enqueue('pause', () => this.frame());
        return;
      case 'learningRate':
        this.enqueue('learningRate', async () => this.trainer?.setLearningRate(request.rate));
        return;
      case 'step':
        this.pause();
        this.enqueue('step', async () => {
          await this.trainOneEpoch();
          await this.frame();
        });
        return;
      case 'start':
        this.pause();
        this.enqueue('start', () => this.start(request.settings, request.backend));
        return;
      case 'import':
        this.pause();
        this.enqueue('import', () => this.import(request.model, request.settings));
        return;
      case 'export':
        this.enqueue('export', () => this.export(request.name));
        return;
    }
  }

  private pause() {
    if (!this.playing) return;
    this.playing = false;
    this.played.ms += performance.now() - this.played.since;
  }

  private enqueue(during: EngineRequest['type'] | 'train', work: () => Promise<unknown>) {
    this.queue = this.queue
      .then(async () => {
        await work();
      })
      .catch((error: unknown) => {
        this.pause();
        this.post({ type: 'error', during, message: error instanceof Error ? error.message : String(error) }, []);
      });
  }

  /** One epoch of play, then the next one queued after a turn of the event loop (so requests get in). */
  private async tick() {
    if (!this.playing || !this.trainer) return;
    await this.trainOneEpoch();
    this.played.epochs += 1;
    if (performance.now() - this.lastFrame >= FRAME_MS) await this.frame();
    await macrotask();
    if (this.playing) this.enqueue('train', () => this.tick());
  }

  private async trainOneEpoch() {
    const trainer = this.trainer;
    if (!trainer) return;
    await trainer.trainEpoch(this.afterBatch ? { afterBatch: this.afterBatch } : {});
    const figures = await trainer.figures();
    this.pending.push({ epoch: figures.epoch, train: figures.trainLoss, test: figures.testLoss });
  }

  private async start(settings: PlaygroundSettings, backend: BackendChoice) {
    if (backend !== this.backend) {
      this.trainer?.dispose();
      this.trainer = undefined;
      // One WASM thread: the Playground's networks are so small that a second thread's
      // synchronisation costs more than it saves (ch07-hidden-layer, 2 vCPU: 31.5 epochs/s on one
      // thread, 9.9 on two; the chapter-8 CNN goes the other way, 1.4x faster on two).
      const report = await chooseBackend(backend, { wasmThreads: 1 });
      this.backend = backend;
      this.post({ type: 'backend', report }, []);
    }
    this.replace(PlaygroundTrainer.create(settings), []);
    await this.frame();
  }

  private async import(files: ModelFiles, current: PlaygroundSettings) {
    const { json, file } = files;
    const model = await loadModelFiles(files);
    let checked: ReturnType<typeof settingsForModel>;
    try {
      checked = settingsForModel(model, {
        current,
        metadata: (json as { userDefinedMetadata?: unknown }).userDefinedMetadata,
        ...(files.recipe ? { recipe: files.recipe } : {}),
        file,
      });
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.replace(PlaygroundTrainer.create(checked.settings, { model, epoch: checked.epoch }), checked.changes);
    await this.frame();
  }

  /** Puts a new trainer in place, frees the old one, and sends the page its settings and points. */
  private replace(trainer: PlaygroundTrainer, changes: string[]) {
    this.trainer?.dispose();
    this.trainer = trainer;
    this.pending = [];
    this.played = { epochs: 0, ms: 0, since: performance.now() };
    // The initial losses, as epoch 0 (or the imported model's epoch), come with the first frame.
    this.post({ type: 'ready', settings: trainer.settings, changes, data: trainer.data, epoch: trainer.epoch }, []);
  }

  /** The pictures and figures of now: every neuron over the grid in one prediction, and the weights. */
  private async frame() {
    const trainer = this.trainer;
    if (!trainer) return;
    const figures = await trainer.figures();
    const nodes = await trainer.nodeOutputs(this.grid);
    const weights = await trainer.weights();
    const last = nodes.layers.length - 1;
    const layers = nodes.layers.map((layer, l) =>
      l === last ? layer : layer.map((values) => subsample(values, GRID, GRID / NEURON_GRID)),
    );
    if (this.pending.length === 0 && figures.epoch === 0)
      this.pending.push({ epoch: 0, train: figures.trainLoss, test: figures.testLoss });
    const ms = this.played.ms + (this.playing ? performance.now() - this.played.since : 0);
    const transfer = [...layers.flat(), ...weights.kernels, ...weights.biases].map((a) => a.buffer);
    this.post(
      {
        type: 'frame',
        settings: trainer.settings,
        figures,
        losses: this.pending,
        layers,
        weights,
        playing: this.playing,
        epochsPerSecond: ms > 0 ? (this.played.epochs * 1000) / ms : 0,
      },
      transfer,
    );
    this.pending = [];
    this.lastFrame = performance.now();
  }

  /**
   * The model as tfjs's browserDownloads writes it: `NAME.json` whose manifest points at
   * `./NAME.weights.bin`, with the settings and epoch in its metadata (`neurona evaluate` reads them).
   */
  private async export(name: string) {
    const trainer = this.trainer;
    if (!trainer) throw new Error('nothing to export yet: the network is still being built');
    const { json, weights } = await modelFiles(trainer.modelToSave(), `${name}.weights.bin`);
    this.post({ type: 'exported', name, json, weights }, [weights]);
  }
}
