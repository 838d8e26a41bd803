import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { confusionMatrixSpec, historyChartSpec } from '@neurona/viz';
import type { LayerActivation } from '@neurona/zoo';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import type { BackendChoice } from '../shell/backends.js';
import { downloadExport } from '../shell/download.js';
import { ModelsSection } from '../shell/ModelsSection.js';
import type { SavedModel } from '../shell/model-store.js';
import { Message, Notes } from '../shell/Notes.js';
import { formatSeconds, Pace } from '../shell/pace.js';
import { StopResume } from '../shell/StopResume.js';
import { inRange, readBackend, readNumber, writeSettings } from '../shell/url-settings.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectFashion, type FashionClient } from './client.js';
import type { DataName, FashionEvent, Figures, TestImage } from './engine.js';
import { canvasTo28, drawGrey, maxOf } from './pictures.js';
import { fashionRecipes } from './recipes.js';

/** The page's settings, all in its URL: a link reproduces the run. */
interface Settings {
  recipe: string;
  epochs: number | undefined;
  trainLimit: number | undefined;
  backend: BackendChoice;
  worker: boolean;
}

const LIMITS = { epochs: { min: 1, max: 100 }, trainLimit: { min: 100, max: 60_000 } } as const;

/** The data the page trains on: the served sample, or a full set from the person's IDX files. */
const DATA: Record<DataName, string> = {
  'fashion-mnist-sample': 'the Fashion-MNIST sample served with the app',
  mnist: 'MNIST, from its four IDX files on your computer',
  'fashion-mnist': 'Fashion-MNIST, from its four IDX files on your computer',
};

/** The settings a URL asks for, and a note for each value the page could not take (the default is used). */
export function readSettings(search: string): { settings: Settings; notes: string[] } {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const recipe = params.get('recipe') ?? 'ch08-fashion-basic';
  if (!fashionRecipes.includes(recipe))
    notes.push(
      `recipe '${recipe}' does not train on this page; using ch08-fashion-basic (allowed: ${fashionRecipes.join(', ')})`,
    );
  return {
    settings: {
      recipe: fashionRecipes.includes(recipe) ? recipe : 'ch08-fashion-basic',
      epochs: readNumber(params, 'epochs', LIMITS.epochs, "the recipe's", notes),
      trainLimit: readNumber(params, 'trainLimit', LIMITS.trainLimit, "the recipe's", notes),
      backend: readBackend(params, notes),
      worker: params.get('worker') !== '0',
    },
    notes,
  };
}

// The recipe is always in the URL (a link names what it trains); the rest when set.
const DEFAULTS = { recipe: '', epochs: undefined, trainLimit: undefined, backend: 'auto', worker: true };

interface EpochRow {
  epoch: number;
  logs: Logs;
  seconds: number;
  samplesPerSecond: number;
}

type Phase = 'idle' | 'training' | 'stopped' | 'done' | 'error';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface FashionView {
  phase: Phase;
  backend: string;
  report: string;
  where: string;
  epochs: EpochRow[];
  /** The data the runs train on, once read. */
  data?: { name: DataName; classNames: string[]; counts: { train: number; test: number } };
  figures?: Omit<Figures, 'wrong' | 'filters'> & { wrong: number; filters: number };
  probabilities: number[];
  activations: { index: number; layers: string[] };
  saved: SavedModel[];
}

declare global {
  interface Window {
    fashion?: FashionView;
  }
}

const percent = (p: number) => `${(100 * p).toFixed(0)}%`;

/** A canvas drawn by `draw` whenever `deps` change. */
function Picture(props: {
  draw: (canvas: HTMLCanvasElement) => void;
  deps: unknown[];
  title?: string;
  class?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) props.draw(ref.current);
  }, props.deps);
  return <canvas ref={ref} class={props.class ?? 'pixelated'} title={props.title} />;
}

/**
 * `/fashion`: chapters 5 and 8 on the Fashion-MNIST sample. Pick the dense net or a chapter-8 CNN,
 * train it in a Web Worker with live curves, stop and resume; then the confusion matrix, the surest
 * mistakes, the first layer's filters, a test image's activations, and a canvas to draw on.
 */
export function FashionPage() {
  const initial = useMemo(() => readSettings(location.search), []);
  const [settings, setSettings] = useState<Settings>(initial.settings);
  const [notes, setNotes] = useState<string[]>(initial.notes);
  const [report, setReport] = useState<BackendReport>();
  const [phase, setPhase] = useState<Phase>('idle');
  const [status, setStatus] = useState('starting…');
  const [message, setMessage] = useState('');
  const [title, setTitle] = useState('');
  const [classNames, setClassNames] = useState<string[]>([]);
  const [rows, setRows] = useState<EpochRow[]>([]);
  const [progress, setProgress] = useState({ done: 0, total: 1, text: '' });
  const [figures, setFigures] = useState<Figures>();
  const [result, setResult] = useState('');
  const [activations, setActivations] = useState<{ image: TestImage; maps: LayerActivation[] }>();
  const [probabilities, setProbabilities] = useState<number[]>([]);
  const [saved, setSaved] = useState<SavedModel[]>([]);
  const [dataChoice, setDataChoice] = useState<DataName>('fashion-mnist-sample');
  const [data, setData] = useState<FashionView['data']>();
  // onEvent is the first render's closure (the engine is connected once): it reads settings here.
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const client = useRef<FashionClient | undefined>(undefined);
  const pace = useRef(new Pace());
  const predicting = useRef({ busy: false, next: undefined as Float32Array | undefined });

  const onEvent = (event: FashionEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'status':
        setStatus(event.text);
        return;
      case 'data':
        setData({ name: event.name, classNames: event.classNames, counts: event.counts });
        setStatus(
          `read ${event.counts.train.toLocaleString('en')} training and ${event.counts.test.toLocaleString('en')} test images`,
        );
        // The page trains on new data at once, as it does on the sample when it opens.
        train(settingsRef.current);
        return;
      case 'begin':
        setTitle(event.title);
        setClassNames(event.classNames);
        if (!event.resumed) setRows([]);
        setFigures(undefined);
        setActivations(undefined);
        setProbabilities([]);
        setResult('');
        setPhase('training');
        setStatus(`training ${event.recipe} on ${event.counts.train} images…`);
        pace.current.restart();
        return;
      case 'progress': {
        const total = event.epochs * event.batches;
        const done = event.epoch * event.batches + event.batch;
        // Time left from this session's pace (a resumed run starts its clock again).
        const left = pace.current.secondsLeft(done, total);
        setProgress({
          done,
          total,
          text: `epoch ${event.epoch + 1} of ${event.epochs}, batch ${event.batch} of ${event.batches} · loss ${(event.logs.loss ?? Number.NaN).toFixed(4)} · ${formatSeconds(left)} left`,
        });
        return;
      }
      case 'epoch':
        setRows((r) => [...r.filter((x) => x.epoch !== event.epoch), event]);
        return;
      case 'stopped':
        setPhase('stopped');
        setStatus(`stopped at epoch ${event.epoch + 1}, batch ${event.batch}: Resume goes on from there`);
        return;
      case 'done': {
        const f = event.figures;
        setFigures(f);
        setClassNames(f.confusion.classNames);
        setPhase('done');
        setStatus('done');
        setProgress((p) => ({ ...p, done: p.total, text: 'done' }));
        setResult(
          `${f.recipe}: test accuracy ${f.testAccuracy.toFixed(4)} on ${f.testCount} test images` +
            (Number.isFinite(event.secondsPerEpoch)
              ? `; ${event.secondsPerEpoch.toFixed(2)} s per epoch, ${Math.round(event.trainSamplesPerSec)} training images/s`
              : ' (a loaded model)'),
        );
        return;
      }
      case 'activations':
        setActivations({ image: event.image, maps: event.maps });
        return;
      case 'probabilities': {
        setProbabilities(event.values);
        const next = predicting.current.next;
        predicting.current = { busy: next !== undefined, next: undefined };
        if (next) client.current?.send({ type: 'predict', pixels: next });
        return;
      }
      case 'exported':
        setMessage(downloadExport(event.files, 'evaluate FOLDER'));
        return;
      case 'saved':
        setSaved(event.models);
        return;
      case 'error':
        predicting.current = { busy: false, next: undefined };
        if (event.during === 'train' || event.during === 'resume') {
          setPhase('error');
          setStatus(`error: ${event.message}`);
        }
        setMessage(`${event.during}: ${event.message}`);
        return;
    }
  };

  const chooseData = async (name: DataName, files?: File[]) => {
    setMessage('');
    setDataChoice(name);
    if (name !== 'fashion-mnist-sample' && !files?.length) return;
    setStatus(`reading ${files ? `${files.length} files` : 'the sample'}…`);
    client.current?.send({
      type: 'data',
      name,
      ...(files
        ? { files: await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() }))) }
        : {}),
    });
  };

  const train = (next: Settings) => {
    setMessage('');
    client.current?.send({ type: 'stop' });
    client.current?.send({
      type: 'train',
      recipe: next.recipe,
      backend: next.backend,
      ...(next.epochs ? { epochs: next.epochs } : {}),
      ...(next.trainLimit ? { trainLimit: next.trainLimit } : {}),
    });
  };

  useEffect(() => {
    writeSettings(initial.settings, DEFAULTS);
    let alive = true;
    void connectFashion(initial.settings.worker, (e) => alive && onEvent(e)).then((c) => {
      client.current = c;
      c.send({ type: 'list' });
      train(initial.settings);
    });
    return () => {
      alive = false;
      client.current?.close();
    };
  }, []);

  const change = (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    setSettings(next);
    setNotes([]);
    writeSettings(next, DEFAULTS);
    return next;
  };

  // What the end-to-end test reads.
  useEffect(() => {
    document.body.dataset.state = phase;
    window.fashion = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      where: client.current?.where ?? '',
      epochs: rows,
      ...(data ? { data } : {}),
      ...(figures
        ? {
            figures: {
              ...figures,
              wrong: figures.wrong.length,
              filters: figures.filters?.filters.length ?? 0,
            },
          }
        : {}),
      probabilities,
      activations: { index: activations?.image.index ?? -1, layers: activations?.maps.map((m) => m.layer) ?? [] },
      saved,
    };
  }, [phase, report, rows, data, figures, probabilities, activations, saved]);

  const historySpec = useMemo(() => {
    const chart = { metrics: ['loss', 'accuracy'], width: 260, height: 150 };
    // Before the first epoch: a hidden stand-in of the same layout (every recipe here logs loss
    // and accuracy), so the chart is built while the data loads rather than during training.
    if (rows.length === 0)
      return historyChartSpec({ history: { loss: [1], val_loss: [1], accuracy: [0.5], val_accuracy: [0.5] } }, chart);
    const names = Object.keys(rows[0]?.logs ?? {});
    const series = Object.fromEntries(names.map((n) => [n, rows.map((r) => r.logs[n] ?? Number.NaN)]));
    return historyChartSpec({ epoch: rows.map((r) => r.epoch - 1), history: series }, chart);
  }, [rows]);

  const confusionSpec = useMemo(
    () =>
      figures ? confusionMatrixSpec(figures.confusion, { title: `${figures.recipe}: test set`, cell: 30 }) : undefined,
    [figures],
  );

  return (
    <main class="fashion">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapters 5 and 8 · also: <a href="/playground">the Playground (ch. 7.4)</a>
      </p>
      <h1>Fashion-MNIST and MNIST: a dense network and the chapter-8 CNNs</h1>
      <p class="lead" id="title">
        {title || 'Trained here, in your browser, on 8,000 Fashion-MNIST images; tested on 2,000 others.'}
      </p>
      <Notes notes={notes} />
      <section class="controls data">
        <label>
          data{' '}
          <select
            id="data"
            value={dataChoice}
            disabled={phase === 'training'}
            onChange={(e) => void chooseData((e.currentTarget as HTMLSelectElement).value as DataName)}
          >
            {(Object.keys(DATA) as DataName[]).map((name) => (
              <option key={name} value={name}>
                {DATA[name]}
              </option>
            ))}
          </select>
        </label>
        {dataChoice !== 'fashion-mnist-sample' && (
          <label>
            the four files{' '}
            <input
              id="idx-files"
              type="file"
              multiple
              onChange={(e) => void chooseData(dataChoice, [...((e.currentTarget as HTMLInputElement).files ?? [])])}
            />
          </label>
        )}
        <span id="data-status" class="hint">
          {dataChoice !== 'fashion-mnist-sample' && data?.name !== dataChoice
            ? 'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzipped (.gz) or not'
            : data
              ? `${data.name}: ${data.counts.train.toLocaleString('en')} training images, ${data.counts.test.toLocaleString('en')} test images`
              : ''}
        </span>
      </section>
      <section class="controls">
        <label>
          recipe{' '}
          <select
            id="recipe"
            value={settings.recipe}
            onChange={(e) => change({ recipe: (e.currentTarget as HTMLSelectElement).value })}
          >
            {fashionRecipes.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          epochs{' '}
          <input
            id="epochs"
            type="number"
            min={LIMITS.epochs.min}
            max={LIMITS.epochs.max}
            placeholder="recipe's"
            value={settings.epochs ?? ''}
            onChange={(e) => {
              const n = Number((e.currentTarget as HTMLInputElement).value);
              change({ epochs: inRange(n, LIMITS.epochs) ? n : undefined });
            }}
          />
        </label>
        <label>
          training images{' '}
          <input
            id="trainLimit"
            type="number"
            min={LIMITS.trainLimit.min}
            max={LIMITS.trainLimit.max}
            step={100}
            placeholder={`all ${(data?.counts.train ?? 8000).toLocaleString('en')}`}
            value={settings.trainLimit ?? ''}
            onChange={(e) => {
              const n = Number((e.currentTarget as HTMLInputElement).value);
              change({ trainLimit: inRange(n, LIMITS.trainLimit) ? n : undefined });
            }}
          />
        </label>
        <button type="button" id="train" onClick={() => train(settings)}>
          {phase === 'training' ? 'Start again' : 'Train'}
        </button>
        <StopResume
          phase={phase}
          onStop={() => client.current?.send({ type: 'stop' })}
          onResume={() => client.current?.send({ type: 'resume' })}
          onMessage={setMessage}
        />
      </section>
      <BackendPanel
        report={report}
        choice={settings.backend}
        onChoose={(backend) => train(change({ backend }))}
        where={client.current?.where}
      />
      <section class="progress">
        <progress id="progress" value={progress.done} max={progress.total} />
        <span id="progress-text">{progress.text}</span>
        <p>
          Status: <span id="status">{status}</span>
        </p>
        <Message text={message} />
      </section>

      <div class="columns">
        <section>
          <h2>Loss and accuracy, epoch by epoch</h2>
          <VegaChart
            spec={historySpec}
            placeholder={rows.length === 0}
            id="history-chart"
            label="loss and accuracy over the epochs"
          />
          <table id="epochs">
            <thead>
              <tr>
                <th>epoch</th>
                <th>loss</th>
                <th>accuracy</th>
                <th>val_loss</th>
                <th>val_accuracy</th>
                <th>s</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.epoch}>
                  <td>{row.epoch}</td>
                  {['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((k) => (
                    <td key={k}>{row.logs[k] === undefined ? '–' : (row.logs[k] as number).toFixed(4)}</td>
                  ))}
                  <td>{row.seconds.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p id="result">{result}</p>
        </section>
        <section>
          <h2>Which classes it mixes up</h2>
          {confusionSpec ? (
            <VegaChart spec={confusionSpec} id="confusion" label="confusion matrix of the test set" redrawMs={0} />
          ) : (
            <p class="placeholder">The confusion matrix of the test set comes when training ends.</p>
          )}
        </section>
      </div>

      {figures && (
        <>
          <section>
            <h2>The mistakes it was surest of</h2>
            <p class="hint">Click one to see what each convolution makes of it.</p>
            <ul id="wrong" class="wrong">
              {figures.wrong.map((w) => (
                <li key={w.index}>
                  <button
                    type="button"
                    onClick={() => client.current?.send({ type: 'activations', index: w.index })}
                    title={`test image ${w.index}`}
                  >
                    <Picture deps={[w]} draw={(c) => drawGrey(c, w.pixels, 28, 28, 0, 255)} />
                    <span>
                      <strong>{classNames[w.predicted]}</strong> {percent(w.confidence)}
                      <br />
                      true: {classNames[w.truth]} ({percent(w.truthProbability)})
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          {figures.filters && (
            <section>
              <h2>
                The first layer's {figures.filters.filters.length} filters ({figures.filters.height} ×{' '}
                {figures.filters.width}, {figures.filters.layer})
              </h2>
              <div id="filters" class="filters">
                {figures.filters.filters.map((f, i) => (
                  <Picture
                    key={i}
                    deps={[f]}
                    title={`filter ${i + 1}`}
                    draw={(c) => {
                      const { height, width, inChannels, min, max } = figures.filters as NonNullable<
                        Figures['filters']
                      >;
                      drawGrey(c, f, width, height, min, max, { stride: inChannels });
                    }}
                  />
                ))}
              </div>
            </section>
          )}
        </>
      )}
      {activations && (
        <section>
          <h2>
            Test image {activations.image.index} ({classNames[activations.image.truth]}) after each convolution
          </h2>
          <div id="activations" class="activations">
            <Picture
              deps={[activations.image]}
              class="pixelated input"
              draw={(c) => drawGrey(c, activations.image.pixels, 28, 28, 0, 255)}
            />
            {activations.maps.map((m) => {
              const white = maxOf(m.values);
              return (
                <div key={m.layer} class="layer">
                  <h3>
                    {m.layer}: {m.channels} maps of {m.height} × {m.width}
                  </h3>
                  <div class="maps">
                    {Array.from({ length: Math.min(m.channels, 32) }, (_, ch) => (
                      <Picture
                        key={ch}
                        deps={[m]}
                        draw={(c) =>
                          drawGrey(c, m.values, m.width, m.height, 0, white, { stride: m.channels, offset: ch })
                        }
                      />
                    ))}
                  </div>
                </div>
              );
            })}
          </div>
        </section>
      )}
      {figures && (
        <DrawPad
          classNames={classNames}
          digits={data?.name === 'mnist'}
          probabilities={probabilities}
          onDraw={(pixels) => {
            if (predicting.current.busy) {
              predicting.current.next = pixels;
              return;
            }
            predicting.current.busy = true;
            client.current?.send({ type: 'predict', pixels });
          }}
        />
      )}

      <ModelsSection
        hasModel={Boolean(figures)}
        saved={saved}
        onExport={() => client.current?.send({ type: 'export' })}
        onImport={(model) =>
          client.current?.send({ type: 'import', model, recipe: settings.recipe, backend: settings.backend })
        }
        onSave={(name) => client.current?.send({ type: 'save', name })}
        onLoad={(name) => client.current?.send({ type: 'load', name, backend: settings.backend })}
        onDelete={(name) => client.current?.send({ type: 'delete', name })}
        onMessage={setMessage}
        cliUse={
          <>
            three files: put them in a folder and run <code>pnpm neurona evaluate FOLDER</code>
          </>
        }
      />
    </main>
  );
}

/** A canvas to draw an item on, and the ten class probabilities as bars, updated as you draw. */
function DrawPad(props: {
  classNames: string[];
  probabilities: number[];
  onDraw: (pixels: Float32Array) => void;
  /** The model reads digits (MNIST): the heading and hint say so. */
  digits?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const clear = () => {
    const c = canvas.current;
    const context = c?.getContext('2d');
    if (!c || !context) return;
    context.fillStyle = 'black';
    context.fillRect(0, 0, c.width, c.height);
  };
  useEffect(clear, []);
  const stroke = (e: PointerEvent) => {
    const c = canvas.current;
    const context = c?.getContext('2d');
    if (!c || !context || !drawing.current) return;
    const box = c.getBoundingClientRect();
    const x = ((e.clientX - box.left) * c.width) / box.width;
    const y = ((e.clientY - box.top) * c.height) / box.height;
    context.lineTo(x, y);
    context.stroke();
    props.onDraw(canvasTo28(c));
  };
  const best = props.probabilities.indexOf(Math.max(...props.probabilities));
  return (
    <section class="draw">
      <h2>{props.digits ? 'Draw a digit' : 'Draw an item'}</h2>
      <p class="hint">
        Light on black, as the data's: {props.digits ? 'a digit from 0 to 9' : 'a shirt, a shoe, a bag'}. The model
        reads it at 28 × 28.
      </p>
      <div class="draw-row">
        <div>
          <canvas
            id="draw"
            ref={canvas}
            width={280}
            height={280}
            onPointerDown={(e) => {
              const c = canvas.current;
              const context = c?.getContext('2d');
              if (!c || !context) return;
              c.setPointerCapture(e.pointerId);
              drawing.current = true;
              const box = c.getBoundingClientRect();
              context.strokeStyle = 'white';
              context.lineWidth = 22;
              context.lineCap = 'round';
              context.lineJoin = 'round';
              context.beginPath();
              context.moveTo(
                ((e.clientX - box.left) * c.width) / box.width,
                ((e.clientY - box.top) * c.height) / box.height,
              );
              stroke(e);
            }}
            onPointerMove={stroke}
            onPointerUp={() => {
              drawing.current = false;
            }}
          />
          <br />
          <button
            type="button"
            id="clear"
            onClick={() => {
              clear();
              const c = canvas.current;
              if (c) props.onDraw(canvasTo28(c));
            }}
          >
            Clear
          </button>
        </div>
        <ol id="probabilities" class="probabilities">
          {props.classNames.map((name, i) => {
            const p = props.probabilities[i] ?? 0;
            return (
              <li key={name} class={i === best ? 'best' : ''}>
                <span class="name">{name}</span>
                <span class="bar" style={{ width: `${(100 * p).toFixed(1)}%` }} />
                <span class="value">{props.probabilities.length ? percent(p) : ''}</span>
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}
