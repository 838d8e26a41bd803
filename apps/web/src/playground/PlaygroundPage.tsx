import type { BackendReport } from '@neurona/core';
import type { PlaygroundData, PlaygroundSettings } from '@neurona/recipes';
import {
  isRegressionSet,
  PLAYGROUND_EXTENT,
  playgroundChoices,
  playgroundFeatures,
  playgroundGrid,
  playgroundPresets,
} from '@neurona/recipes';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import type { BackendChoice } from '../shell/backends.js';
import { download } from '../shell/download.js';
import type { ModelFiles } from '../shell/model-files.js';
import { readModelFiles } from '../shell/model-files.js';
import { Message } from '../shell/Notes.js';
import type { EngineClient } from './client.js';
import { connectPlayground } from './client.js';
import { drawPoints, paintGrid } from './draw.js';
import type { EngineEvent, LossPoint } from './engine.js';
import { GRID, NEURON_GRID } from './grid.js';
import { Links } from './Links.js';
import { LossChart } from './LossChart.js';
import type { PageState } from './url.js';
import { readPageState, writePageState } from './url.js';

type Frame = Extract<EngineEvent, { type: 'frame' }>;

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface PlaygroundView {
  state: PageState;
  epoch: number;
  losses: LossPoint[];
  playing: boolean;
  epochsPerSecond: number;
  backend: string | undefined;
  where: string;
  notes: string[];
  message: string | undefined;
  frames: number;
}

declare global {
  interface Window {
    playground?: PlaygroundView;
  }
}

/** The settings whose change draws the data or builds the network again (all but the learning rate). */
const restartKey = (s: PlaygroundSettings, backend: BackendChoice) =>
  JSON.stringify({ ...s, learningRate: 0, backend });

/** Which picture the big canvas shows: the output, or the node under the pointer. */
type Shown = { kind: 'output' } | { kind: 'feature'; index: number } | { kind: 'neuron'; layer: number; node: number };

const NODE = 40;
const ROW = 52;
const TOP = 34;
/** Room for the features' labels, left of their pictures. */
const LEFT = 56;

/** Features' pictures never change: each one's values over the grid, scaled to [−1, 1]. */
function featurePictures(): Float32Array[] {
  const grid = playgroundGrid(GRID);
  return playgroundFeatures.map((f) => {
    const values = new Float32Array(GRID * GRID);
    let max = 0;
    for (let i = 0; i < values.length; i++) {
      values[i] = f.of(grid[2 * i] as number, grid[2 * i + 1] as number);
      max = Math.max(max, Math.abs(values[i] as number));
    }
    for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / (max || 1);
    return values;
  });
}

/**
 * `/playground`: TensorFlow Playground (book ch. 7.4) on TensorFlow.js. Data, features, network and
 * training controls as the Playground has them; every neuron's picture and the links by weight;
 * the whole state in the URL; training in a Web Worker.
 */
export function PlaygroundPage() {
  const initial = useMemo(() => readPageState(location.search), []);
  const [state, setState] = useState<PageState>({
    settings: initial.settings,
    showTest: initial.showTest,
    discretize: initial.discretize,
    backend: initial.backend,
    worker: initial.worker,
  });
  const [notes, setNotes] = useState<string[]>(initial.changes);
  const [report, setReport] = useState<BackendReport>();
  const [data, setData] = useState<PlaygroundData>();
  const [frame, setFrame] = useState<Frame>();
  const [losses, setLosses] = useState<LossPoint[]>([]);
  const [message, setMessage] = useState<string>();
  const [shown, setShown] = useState<Shown>({ kind: 'output' });
  const client = useRef<EngineClient | undefined>(undefined);
  const engineKey = useRef<string | undefined>(undefined);
  const frames = useRef(0);
  const latestFrame = useRef<Frame | undefined>(undefined);
  const lossQueue = useRef<LossPoint[]>([]);
  const drawScheduled = useRef(false);
  const boundary = useRef<HTMLCanvasElement>(null);
  const network = useRef<HTMLDivElement>(null);
  const features = useMemo(featurePictures, []);
  const { settings } = state;
  const classify = settings.problem === 'classification';

  const onEvent = (event: EngineEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'ready':
        // An imported model brings its own settings: take them without building the network again.
        engineKey.current = restartKey(event.settings, stateRef.current.backend);
        setState((s) => ({ ...s, settings: event.settings }));
        if (event.changes.length > 0) setNotes(event.changes);
        setData(event.data);
        lossQueue.current = [];
        setLosses([]);
        return;
      case 'frame':
        // Drawn at the next animation frame; frames that arrive before it only add their losses.
        if (event.losses.length > 0) lossQueue.current.push(...event.losses);
        latestFrame.current = event;
        if (!drawScheduled.current) {
          drawScheduled.current = true;
          requestAnimationFrame(() => {
            drawScheduled.current = false;
            const next = latestFrame.current as Frame;
            const added = lossQueue.current.splice(0);
            frames.current += 1;
            setFrame(next);
            if (added.length > 0) setLosses((l) => [...l, ...added]);
            setBodyState(next.playing ? 'training' : 'ready');
          });
        }
        return;
      case 'exported':
        download(`${event.name}.json`, new Blob([event.json], { type: 'application/json' }));
        download(`${event.name}.weights.bin`, new Blob([event.weights], { type: 'application/octet-stream' }));
        setMessage(
          `exported ${event.name}.json and ${event.name}.weights.bin: pnpm neurona evaluate ${event.name}.json`,
        );
        return;
      case 'error':
        setMessage(event.during === 'import' ? `could not load the model: ${event.message}` : event.message);
        setBodyState('ready');
        return;
    }
  };
  const stateRef = useRef(state);
  stateRef.current = state;
  const eventRef = useRef(onEvent);
  eventRef.current = onEvent;

  // The engine: in a worker unless the URL says worker=off.
  useEffect(() => {
    let closed = false;
    void connectPlayground(state.worker, (event) => eventRef.current(event)).then((c) => {
      if (closed) return c.close();
      client.current = c;
      engineKey.current = restartKey(stateRef.current.settings, stateRef.current.backend);
      c.send({ type: 'start', settings: stateRef.current.settings, backend: stateRef.current.backend });
    });
    return () => {
      closed = true;
      client.current?.close();
    };
  }, []);

  // Any setting but the learning rate starts again, as in the Playground; the rate changes in flight.
  useEffect(() => {
    history.replaceState(null, '', `?${writePageState(state)}`);
    const c = client.current;
    if (!c) return;
    const key = restartKey(settings, state.backend);
    if (key !== engineKey.current) {
      engineKey.current = key;
      c.send({ type: 'start', settings, backend: state.backend });
    }
  }, [state]);
  useEffect(() => client.current?.send({ type: 'learningRate', rate: settings.learningRate }), [settings.learningRate]);

  // The big picture: the output (or the node under the pointer) with the points on it.
  useEffect(() => {
    const canvas = boundary.current;
    if (!canvas || !frame || !data) return;
    // The frame's own settings: the page's may already have moved on to the next network.
    const classifyDrawn = frame.settings.problem === 'classification';
    const unitOfLabel = (v: number) => (classifyDrawn ? 2 * v - 1 : v);
    if (shown.kind === 'feature') paintGrid(canvas, features[shown.index] as Float32Array, GRID, (v) => v);
    else {
      const layers = frame.layers;
      const hidden = shown.kind === 'neuron' && shown.layer < layers.length - 1 && layers[shown.layer]?.[shown.node];
      const isOutput = !hidden;
      const values = hidden || layers.at(-1)?.[0];
      const activation = isOutput ? (classifyDrawn ? 'sigmoid' : 'linear') : frame.settings.activation;
      const toUnit = activation === 'sigmoid' ? (v: number) => 2 * v - 1 : (v: number) => v;
      const discrete = state.discretize && isOutput ? (v: number) => Math.sign(toUnit(v)) : toUnit;
      if (values) paintGrid(canvas, values, isOutput ? GRID : NEURON_GRID, discrete);
    }
    drawPoints(canvas, data.train.points, data.train.labels, unitOfLabel, 'white');
    if (state.showTest) drawPoints(canvas, data.test.points, data.test.labels, unitOfLabel, 'black');
  }, [frame, data, shown, state.showTest, state.discretize]);

  // The small pictures: every feature and neuron over the plane.
  useEffect(() => {
    const root = network.current;
    if (!root || !frame) return;
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]')) {
      const layer = Number(canvas.dataset.layer);
      const node = Number(canvas.dataset.node);
      if (layer < 0) {
        // The features' pictures never change: painted once.
        if (canvas.dataset.painted !== 'yes') paintGrid(canvas, features[node] as Float32Array, GRID, (v) => v, 2);
        canvas.dataset.painted = 'yes';
        continue;
      }
      const values = frame.layers[layer]?.[node];
      const isOutput = layer === frame.layers.length - 1;
      const activation = isOutput
        ? frame.settings.problem === 'classification'
          ? 'sigmoid'
          : 'linear'
        : frame.settings.activation;
      const toUnit = activation === 'sigmoid' ? (v: number) => 2 * v - 1 : (v: number) => v;
      // The output's picture comes at the full grid, a hidden neuron's at half of it.
      if (values) paintGrid(canvas, values, isOutput ? GRID : NEURON_GRID, toUnit, isOutput ? 2 : 1);
    }
  }, [frame]);

  useEffect(() => {
    window.playground = {
      state,
      epoch: frame?.figures.epoch ?? 0,
      losses,
      playing: frame?.playing ?? false,
      epochsPerSecond: frame?.epochsPerSecond ?? 0,
      backend: report?.backend,
      where: client.current?.where ?? '',
      notes,
      message,
      frames: frames.current,
    };
  });

  const update = (change: Partial<PlaygroundSettings>) =>
    setState((s) => ({ ...s, settings: { ...s.settings, ...change } }));
  const send = (request: Parameters<EngineClient['send']>[0]) => client.current?.send(request);
  const playing = frame?.playing ?? false;
  const figures = frame?.figures;
  const shape = settings.networkShape;

  const toggleFeature = (name: (typeof playgroundFeatures)[number]['name']) => {
    const on = settings.features.includes(name);
    if (on && settings.features.length === 1) {
      setMessage('the network needs at least one feature');
      return;
    }
    update({
      features: playgroundFeatures.map((f) => f.name).filter((f) => (f === name ? !on : settings.features.includes(f))),
    });
  };
  const setLayer = (i: number, units: number) => update({ networkShape: shape.map((u, j) => (j === i ? units : u)) });

  const loadFiles = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setMessage(undefined);
    let model: ModelFiles;
    try {
      model = await readModelFiles([...files]);
    } catch (error) {
      setMessage(`could not load the model: ${(error as Error).message}`);
      return;
    }
    send({ type: 'import', model, settings });
  };

  // Node positions: column 0 the seven features, then the hidden layers, then the output.
  const columns = [playgroundFeatures.length, ...shape, 1];
  const height = TOP + Math.max(...columns) * ROW;
  // Columns 120 pixels apart, closer when six hidden layers would not fit the 640 pixels there are.
  const column = Math.min(120, (640 - LEFT - NODE) / (columns.length - 1));
  const x = (c: number) => LEFT + c * column;
  const y = (row: number) => TOP + row * ROW;

  return (
    <main class="playground">
      <header class="top">
        <h1>
          <a href="/">Neurona</a> · TensorFlow Playground <small>(book ch. 7.4)</small>
        </h1>
        <fieldset class="presets">
          <legend>The book's three steps</legend>
          {playgroundPresets.map((p) => (
            <button
              type="button"
              key={p.id}
              data-preset={p.id}
              title={`${p.title}: ${p.note}. Test loss under ${p.testLossBar} in ${p.epochs} epochs.`}
              onClick={() => {
                setNotes([]);
                setMessage(undefined);
                setState((s) => ({ ...s, settings: p.settings }));
              }}
            >
              {p.id}
            </button>
          ))}
        </fieldset>
      </header>
      {notes.length > 0 && (
        <section class="notes" aria-label="notes" id="notes">
          <strong>Changed in the link's settings:</strong>
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      )}
      <section class="controls" aria-label="training">
        <button
          type="button"
          id="reset"
          title="back to epoch 0 (same seed)"
          onClick={() => send({ type: 'start', settings, backend: state.backend })}
        >
          ⟲
        </button>
        <button type="button" id="play" class="play" onClick={() => send({ type: playing ? 'pause' : 'play' })}>
          {playing ? '❚❚ pause' : '▶ play'}
        </button>
        <button type="button" id="step" onClick={() => send({ type: 'step' })}>
          step
        </button>
        <span class="epoch">
          Epoch <output id="epoch">{String(figures?.epoch ?? 0).padStart(6, '0')}</output>
        </span>
        <Select
          id="learningRate"
          label="Learning rate"
          value={String(settings.learningRate)}
          options={playgroundChoices.learningRate.map(String)}
          onChange={(v) => update({ learningRate: Number(v) })}
        />
        <Select
          id="activation"
          label="Activation"
          value={settings.activation}
          options={playgroundChoices.activation}
          onChange={(v) => update({ activation: v as PlaygroundSettings['activation'] })}
        />
        <Select
          id="regularization"
          label="Regularization"
          value={settings.regularization}
          options={playgroundChoices.regularization}
          onChange={(v) => update({ regularization: v as PlaygroundSettings['regularization'] })}
        />
        <Select
          id="regularizationRate"
          label="Regularization rate"
          value={String(settings.regularizationRate)}
          options={playgroundChoices.regularizationRate.map(String)}
          onChange={(v) => update({ regularizationRate: Number(v) })}
        />
        <Select
          id="problem"
          label="Problem type"
          value={settings.problem}
          options={playgroundChoices.problem}
          onChange={(v) =>
            update({
              problem: v as PlaygroundSettings['problem'],
              dataset:
                v === 'regression' ? playgroundChoices.regressionSets[0] : playgroundChoices.classificationSets[0],
            })
          }
        />
        <Select
          id="optimizer"
          label="Optimizer"
          value={settings.optimizer}
          options={playgroundChoices.optimizer}
          onChange={(v) => update({ optimizer: v as PlaygroundSettings['optimizer'] })}
        />
        <label class="field">
          Seed
          <input
            id="seed"
            type="number"
            min={0}
            value={settings.seed}
            onChange={(e) => update({ seed: Math.max(0, Math.round(Number(e.currentTarget.value)) || 0) })}
          />
        </label>
      </section>

      <div class="columns">
        <section class="data" aria-label="data">
          <h2>Data</h2>
          <div class="datasets">
            {(classify ? playgroundChoices.classificationSets : playgroundChoices.regressionSets).map((d) => (
              <button
                type="button"
                key={d}
                data-dataset={d}
                class={settings.dataset === d ? 'chosen' : ''}
                onClick={() => update({ dataset: d, problem: isRegressionSet(d) ? 'regression' : 'classification' })}
              >
                {d}
              </button>
            ))}
          </div>
          <Slider
            id="percTrainData"
            label="Ratio of training to test data"
            unit="%"
            value={settings.percTrainData}
            range={playgroundChoices.percTrainData}
            onChange={(v) => update({ percTrainData: v })}
          />
          <Slider
            id="noise"
            label="Noise"
            value={settings.noise}
            range={playgroundChoices.noise}
            onChange={(v) => update({ noise: v })}
          />
          <Slider
            id="batchSize"
            label="Batch size"
            value={settings.batchSize}
            range={playgroundChoices.batchSize}
            onChange={(v) => update({ batchSize: v })}
          />
          <button
            type="button"
            id="regenerate"
            title="new points (and first weights): the next seed"
            onClick={() => update({ seed: settings.seed + 1 })}
          >
            Regenerate
          </button>
          <h2>Model file</h2>
          <button
            type="button"
            id="export"
            onClick={() => send({ type: 'export', name: `playground-${settings.dataset}` })}
          >
            Export model
          </button>
          <label class="file">
            Load a model: model.json with its weights (and a run's summary.json)
            <input
              id="import"
              type="file"
              multiple
              accept=".json,.bin"
              onChange={(e) => void loadFiles(e.currentTarget.files)}
            />
          </label>
        </section>

        <section class="network" aria-label="network">
          <div class="layer-controls">
            <button
              type="button"
              id="add-layer"
              disabled={shape.length >= playgroundChoices.layers.max}
              onClick={() => update({ networkShape: [...shape, 2] })}
            >
              +
            </button>
            <button
              type="button"
              id="remove-layer"
              disabled={shape.length === 0}
              onClick={() => update({ networkShape: shape.slice(0, -1) })}
            >
              −
            </button>
            <span id="layer-count">
              {shape.length} hidden layer{shape.length === 1 ? '' : 's'}
            </span>
          </div>
          <div
            class="graph"
            ref={network}
            style={{ width: `${x(columns.length - 1) + NODE + 10}px`, height: `${height}px` }}
          >
            <Links
              weights={frame?.weights}
              features={frame?.settings.features ?? []}
              layout={{ width: x(columns.length - 1) + NODE, height, x, y, node: NODE }}
            />
            {playgroundFeatures.map((f, i) => {
              const on = settings.features.includes(f.name);
              return (
                <button
                  type="button"
                  class={`node feature${on ? ' on' : ''}`}
                  key={f.name}
                  style={{ left: `${x(0)}px`, top: `${y(i)}px` }}
                  title={`${f.label}: click to ${on ? 'leave out' : 'feed in'}`}
                  onClick={() => toggleFeature(f.name)}
                  aria-pressed={on}
                  onMouseEnter={() => setShown({ kind: 'feature', index: i })}
                  onMouseLeave={() => setShown({ kind: 'output' })}
                  data-feature={f.name}
                >
                  <canvas width={NODE} height={NODE} data-layer={-1} data-node={i} />
                  <span class="label">{f.label}</span>
                </button>
              );
            })}
            {shape.map((units, l) => (
              <div class="column-controls" key={`c${l}`} style={{ left: `${x(l + 1) - 4}px`, top: '0px' }}>
                <button
                  type="button"
                  data-add-neuron={l}
                  disabled={units >= playgroundChoices.neurons.max}
                  onClick={() => setLayer(l, units + 1)}
                >
                  +
                </button>
                <button
                  type="button"
                  data-remove-neuron={l}
                  disabled={units <= playgroundChoices.neurons.min}
                  onClick={() => setLayer(l, units - 1)}
                >
                  −
                </button>
              </div>
            ))}
            {[...shape, 1].map((units, l) =>
              Array.from({ length: units }, (_, j) => (
                <div
                  role="img"
                  aria-label={l === shape.length ? 'the output' : `layer ${l + 1}, neuron ${j + 1}`}
                  class={`node neuron${l === shape.length ? ' output' : ''}`}
                  key={`${l}-${j}`}
                  style={{ left: `${x(l + 1)}px`, top: `${y(j)}px` }}
                  title={l === shape.length ? 'the output' : `layer ${l + 1}, neuron ${j + 1}`}
                  onMouseEnter={() => setShown({ kind: 'neuron', layer: l, node: j })}
                  onMouseLeave={() => setShown({ kind: 'output' })}
                >
                  <canvas width={NODE} height={NODE} data-layer={l} data-node={j} />
                </div>
              )),
            )}
          </div>
        </section>

        <section class="output" aria-label="output">
          <h2>Output</h2>
          <p class="figures">
            Test loss <output id="test-loss">{figures ? figures.testLoss.toFixed(3) : '…'}</output>
            <br />
            Training loss <output id="train-loss">{figures ? figures.trainLoss.toFixed(3) : '…'}</output>
            {figures?.testAccuracy !== undefined && (
              <>
                <br />
                Test accuracy <output id="test-accuracy">{figures.testAccuracy.toFixed(3)}</output>
              </>
            )}
          </p>
          <LossChart losses={losses} />
          <canvas id="boundary" ref={boundary} width={300} height={300} aria-label="the output over the plane" />
          <div class="axis">
            <span>−{PLAYGROUND_EXTENT}</span>
            <span>x₁</span>
            <span>{PLAYGROUND_EXTENT}</span>
          </div>
          <label>
            <input
              id="showTest"
              type="checkbox"
              checked={state.showTest}
              onChange={(e) => setState((s) => ({ ...s, showTest: e.currentTarget.checked }))}
            />{' '}
            Show test data
          </label>
          <label>
            <input
              id="discretize"
              type="checkbox"
              checked={state.discretize}
              onChange={(e) => setState((s) => ({ ...s, discretize: e.currentTarget.checked }))}
            />{' '}
            Discretize output
          </label>
          <p class="speed">
            {frame && frame.epochsPerSecond > 0 ? `${frame.epochsPerSecond.toFixed(1)} epochs/s` : ''}
          </p>
          <Message text={message} />
        </section>
      </div>
      <footer>
        <BackendPanel
          report={report}
          choice={state.backend}
          onChoose={(backend) => setState((s) => ({ ...s, backend }))}
          where={client.current?.where ?? ''}
        />
        <label>
          <input
            id="worker"
            type="checkbox"
            checked={state.worker}
            onChange={(e) => {
              const next = { ...state, worker: e.currentTarget.checked };
              location.search = writePageState(next);
            }}
          />{' '}
          train in a Web Worker (off: in the page, yielding between batches)
        </label>
      </footer>
    </main>
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label class="field">
      {props.label}
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function Slider(props: {
  id: string;
  label: string;
  unit?: string;
  value: number;
  range: { min: number; max: number; step: number };
  onChange: (value: number) => void;
}) {
  return (
    <label class="slider">
      {props.label}: <output>{`${props.value}${props.unit ?? ''}`}</output>
      <input
        id={props.id}
        type="range"
        min={props.range.min}
        max={props.range.max}
        step={props.range.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
    </label>
  );
}

/**
 * Marks the page's state on `<body data-state>` for tests and styles: only when it changes, since a
 * change on `<body>` makes the browser recompute every element's style.
 */
function setBodyState(state: string) {
  if (document.body.dataset.state !== state) document.body.dataset.state = state;
}
