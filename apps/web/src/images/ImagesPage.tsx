import type { AugmentOptions, FillMode } from '@neurona/augmentation';
import { fillModes } from '@neurona/augmentation';
import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { historyChartSpec } from '@neurona/viz';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import type { BackendChoice } from '../shell/backends.js';
import { downloadExport } from '../shell/download.js';
import type { EngineClient } from '../shell/engine-client.js';
import { ModelsSection } from '../shell/ModelsSection.js';
import type { SavedModel } from '../shell/model-store.js';
import { Message, Notes } from '../shell/Notes.js';
import { formatSeconds, Pace } from '../shell/pace.js';
import { StopResume } from '../shell/StopResume.js';
import { inRange, readBackend, readNumber } from '../shell/url-settings.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectImages } from './client.js';
import type { ImagesEvent, ImagesRequest, Thumbnails } from './engine.js';
import { DEFAULT_EPOCHS, MAX_EPOCHS, RUN_NAMES, RUN_RECIPES, type RunName } from './runs.js';
import { SIZE } from './size.js';

/** The sliders: each `ImageDataGenerator` range, with the book's values (ch. 11) as the start. */
const SLIDERS = [
  { name: 'rotationRange', label: 'rotation (degrees)', min: 0, max: 90, step: 5, start: 40 },
  { name: 'widthShiftRange', label: 'width shift', min: 0, max: 0.5, step: 0.05, start: 0.2 },
  { name: 'heightShiftRange', label: 'height shift', min: 0, max: 0.5, step: 0.05, start: 0.2 },
  { name: 'shearRange', label: 'shear', min: 0, max: 0.5, step: 0.05, start: 0.2 },
  { name: 'zoomRange', label: 'zoom', min: 0, max: 0.5, step: 0.05, start: 0.2 },
] as const;
type SliderName = (typeof SLIDERS)[number]['name'];

const RUNS: Record<RunName, string> = {
  plain: 'the small CNN as it is',
  augmented: 'with Dropout, on augmented batches',
  features: 'a pretrained MobileNetV2 run once, a small classifier on its features',
  'fine-tuning': 'a classifier on the frozen MobileNetV2, then its last block trained too',
};

/**
 * Each run's epochs from the URL: `epochs=N` for every run, `epochs-RUN=N` for one; a value that
 * is not an integer from 1 to MAX_EPOCHS gets a note and the run keeps its default.
 */
function readEpochs(params: URLSearchParams): { epochs: Record<RunName, number>; notes: string[] } {
  const epochs = { ...DEFAULT_EPOCHS };
  const notes: string[] = [];
  const range = { min: 1, max: MAX_EPOCHS };
  const read = (name: string, runs: RunName[]) => {
    const instead = runs.length > 1 ? "each run's default" : String(DEFAULT_EPOCHS[runs[0] as RunName]);
    const n = readNumber(params, name, range, instead, notes);
    if (n !== undefined) for (const run of runs) epochs[run] = n;
  };
  read('epochs', RUN_NAMES);
  for (const run of RUN_NAMES) read(`epochs-${run}`, [run]);
  return { epochs, notes };
}

/** The runs a `runs=` URL value names, with a note for each name that is not one. */
function readRuns(value: string | null): { runs: RunName[]; notes: string[] } {
  if (value === null) return { runs: RUN_NAMES, notes: [] };
  const names = value.split(',').filter((n) => n !== '');
  const runs = RUN_NAMES.filter((r) => names.includes(r));
  const unknown = names.filter((n) => !(RUN_NAMES as string[]).includes(n));
  const notes = unknown.map((n) => `run '${n}' is not one of this page's (allowed: ${RUN_NAMES.join(', ')})`);
  if (runs.length === 0) {
    notes.push(`no run chosen; training all four`);
    return { runs: RUN_NAMES, notes };
  }
  return { runs, notes };
}

interface ClassRow {
  id: number;
  name: string;
  files: File[];
}

type Phase = 'choosing' | 'loading' | 'ready' | 'training' | 'done' | 'stopped' | 'error';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface ImagesView {
  phase: Phase;
  backend: string;
  report: string;
  where: string;
  classes: { name: string; images: number; train: number; test: number }[];
  skipped: { file: string; className: string; reason: string }[];
  /** A fingerprint of the augmentation preview, and how many times it was drawn. */
  preview: { fingerprint: number; draws: number };
  runs: Partial<
    Record<
      RunName,
      {
        epochs: { epoch: number; logs: Logs }[];
        testAccuracy?: number;
        testCount?: number;
        /** Fine-tuning: the epoch after which the base's last block trains too. */
        opensAfter?: number;
        /** A model loaded in the run's place (`saved model 'x'`, `model.json`) rather than trained here. */
        from?: string;
      }
    >
  >;
  /** The transfer runs' base, once loaded: its name, layers, input side and load time. */
  pretrained?: { name: string; layers: number; size: number; seconds: number };
  saved: SavedModel[];
}

declare global {
  interface Window {
    images?: ImagesView;
  }
}

function drawThumbnails(canvas: HTMLCanvasElement, thumbnails: Thumbnails, index: number) {
  canvas.width = SIZE;
  canvas.height = SIZE;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(SIZE, SIZE);
  const offset = index * SIZE * SIZE * 3;
  for (let i = 0; i < SIZE * SIZE; i++) {
    image.data[4 * i] = thumbnails.pixels[offset + 3 * i] as number;
    image.data[4 * i + 1] = thumbnails.pixels[offset + 3 * i + 1] as number;
    image.data[4 * i + 2] = thumbnails.pixels[offset + 3 * i + 2] as number;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

function Thumbnail({ thumbnails, index }: { thumbnails: Thumbnails; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawThumbnails(ref.current, thumbnails, index);
  }, [thumbnails, index]);
  return <canvas ref={ref} class="thumbnail" />;
}

/** The page's settings from its URL (runs, their epochs, the backend), with a note for each value it could not take. */
function readSettings(params: URLSearchParams) {
  const { epochs, notes } = readEpochs(params);
  const { runs, notes: runNotes } = readRuns(params.get('runs'));
  notes.push(...runNotes);
  const backend: BackendChoice = readBackend(params, notes);
  return { epochs, runs, backend, notes };
}

/**
 * `/images`: book chapters 10–11 on your own images. Two classes of pictures chosen in the page;
 * the augmentation of chapter 11 previewed on them, one slider per range; the chapter-10 CNN
 * trained on them without and with augmentation, the curves side by side.
 */
export function ImagesPage() {
  const params = new URLSearchParams(location.search);
  const [initial] = useState(() => readSettings(params));
  const { backend, notes } = initial;
  const [epochs, setEpochs] = useState(initial.epochs);
  const [rows, setRows] = useState<ClassRow[]>([
    { id: 1, name: 'cats', files: [] },
    { id: 2, name: 'dogs', files: [] },
  ]);
  const [report, setReport] = useState<BackendReport>();
  const [phase, setPhase] = useState<Phase>('choosing');
  const [message, setMessage] = useState('');
  const [loaded, setLoaded] = useState<Extract<ImagesEvent, { type: 'loaded' }>>();
  const [augment, setAugment] = useState<Record<SliderName, number> & { horizontalFlip: boolean; fillMode: FillMode }>({
    ...(Object.fromEntries(SLIDERS.map((s) => [s.name, s.start])) as Record<SliderName, number>),
    horizontalFlip: true,
    fillMode: 'nearest',
  });
  const [preview, setPreview] = useState<{ images: Thumbnails; draws: number }>();
  const [runs, setRuns] = useState<ImagesView['runs']>({});
  const [chosen, setChosen] = useState<RunName[]>(initial.runs);
  const [pretrained, setPretrained] = useState<ImagesView['pretrained']>();
  const [saved, setSaved] = useState<SavedModel[]>([]);
  const [modelRun, setModelRun] = useState<RunName>('plain');
  // The runs of the last Train click: the page is done when the last of them is.
  const training = useRef<RunName[]>([]);
  const [progress, setProgress] = useState({ done: 0, total: 1, text: '' });
  const [status, setStatus] = useState('');
  const pace = useRef(new Pace());
  const client = useRef<EngineClient<ImagesRequest> | undefined>(undefined);
  const previewState = useRef({ busy: false, again: false });

  const requestPreview = (options: AugmentOptions) => {
    if (previewState.current.busy) {
      previewState.current.again = true;
      return;
    }
    previewState.current = { busy: true, again: false };
    client.current?.send({ type: 'preview', options, count: 8 });
  };
  const augmentRef = useRef(augment);
  augmentRef.current = augment;

  const onEvent = (event: ImagesEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'loaded':
        setLoaded(event);
        setPhase('ready');
        requestPreview(augmentRef.current);
        return;
      case 'preview':
        setPreview((p) => ({ images: event.images, draws: (p?.draws ?? 0) + 1 }));
        if (previewState.current.again) {
          previewState.current = { busy: false, again: false };
          requestPreview(augmentRef.current);
        } else previewState.current.busy = false;
        return;
      case 'pretrained':
        setPretrained({ name: event.name, layers: event.layers, size: event.size, seconds: event.seconds });
        return;
      case 'begin':
        setPhase('training');
        setStatus('');
        pace.current.restart();
        if (!event.resumed)
          setRuns((r) => ({
            ...r,
            [event.run]: { epochs: [], ...(event.opensAfter ? { opensAfter: event.opensAfter } : {}) },
          }));
        return;
      case 'progress': {
        const total = event.epochs * event.batches;
        const done = event.epoch * event.batches + event.batch;
        const left = pace.current.secondsLeft(done, total);
        setProgress({
          done,
          total,
          text: `run ${event.index + 1} of ${event.runs} (${RUN_RECIPES[event.run]}): epoch ${event.epoch + 1} of ${event.epochs}, batch ${event.batch} of ${event.batches} · ${formatSeconds(left)} left in this run`,
        });
        return;
      }
      case 'epoch':
        setRuns((r) => ({
          ...r,
          [event.run]: {
            ...r[event.run],
            epochs: [...(r[event.run]?.epochs ?? []), { epoch: event.epoch, logs: event.logs }],
          },
        }));
        return;
      case 'done':
        setRuns((r) => ({
          ...r,
          [event.run]: {
            ...r[event.run],
            // A loaded model's curves are not on the page: the ones there were another model's.
            epochs: event.from ? [] : (r[event.run]?.epochs ?? []),
            testAccuracy: event.testAccuracy,
            testCount: event.testCount,
            ...(event.from ? { from: event.from } : {}),
          },
        }));
        setModelRun(event.run);
        if (event.from) setStatus(`loaded ${event.from} as the ${RUN_RECIPES[event.run]} model`);
        else if (event.run === training.current.at(-1)) {
          setPhase('done');
          setProgress((p) => ({ ...p, done: p.total, text: 'done' }));
        }
        return;
      case 'exported':
        setMessage(downloadExport(event.files, 'predict FOLDER IMAGE…'));
        return;
      case 'saved':
        setSaved(event.models);
        return;
      case 'stopped':
        setPhase('stopped');
        setStatus(
          `stopped in ${RUN_RECIPES[event.run]} at epoch ${event.epoch + 1}, batch ${event.batch}: Resume goes on from there${event.left > 0 ? `, then ${event.left} more run${event.left > 1 ? 's' : ''}` : ''}; Train starts over`,
        );
        return;
      case 'error':
        previewState.current = { busy: false, again: false };
        // A model request that failed (a file of another network) leaves the page as it was.
        if (['export', 'save', 'open', 'import', 'delete', 'list'].includes(event.during)) {
          setMessage(`${event.during}: ${event.message}`);
          return;
        }
        setPhase(event.during === 'load' ? 'choosing' : event.during === 'train' ? 'error' : 'ready');
        setMessage(`${event.during}: ${event.message}`);
        return;
    }
  };

  useEffect(() => {
    let alive = true;
    void connectImages(params.get('worker') !== '0', (e) => alive && onEvent(e)).then((c) => {
      client.current = c;
    });
    return () => {
      alive = false;
      client.current?.close();
    };
  }, []);

  useEffect(() => {
    document.body.dataset.state = phase;
    const pixels = preview?.images.pixels;
    let fingerprint = 0;
    if (pixels)
      for (let i = 0; i < pixels.length; i += 7)
        fingerprint = (fingerprint * 31 + (pixels[i] as number)) % 1_000_000_007;
    window.images = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      where: client.current?.where ?? '',
      classes: loaded?.classes ?? [],
      skipped: loaded?.skipped ?? [],
      preview: { fingerprint, draws: preview?.draws ?? 0 },
      runs,
      ...(pretrained ? { pretrained } : {}),
      saved,
    };
  }, [phase, report, loaded, preview, runs, pretrained, saved]);

  const load = async () => {
    setMessage('');
    setLoaded(undefined);
    setPreview(undefined);
    setRuns({});
    const named = rows.filter((r) => r.files.length > 0);
    const names = named.map((r) => r.name.trim());
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (names.some((n) => n === '')) return setMessage('every class with images needs a name');
    if (twice) return setMessage(`two classes are called '${twice}': give each its own name`);
    setPhase('loading');
    const classes = await Promise.all(
      named.map(async (r) => ({
        name: r.name.trim(),
        files: await Promise.all(r.files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() }))),
      })),
    );
    client.current?.send({ type: 'load', classes, backend });
    client.current?.send({ type: 'list' });
  };

  const changeAugment = (patch: Partial<typeof augment>) => {
    const next = { ...augment, ...patch };
    setAugment(next);
    augmentRef.current = next;
    if (loaded) requestPreview(next);
  };

  const chart = (run: RunName) => {
    const points = runs[run]?.epochs ?? [];
    const options = { metrics: ['loss', 'accuracy'], width: 200, height: 120, title: RUN_RECIPES[run] };
    if (points.length === 0)
      return historyChartSpec({ history: { loss: [1], val_loss: [1], accuracy: [0.5], val_accuracy: [0.5] } }, options);
    const names = Object.keys(points[0]?.logs ?? {});
    // Where fine-tuning opened the last block, marked once the run is over (a new layout).
    const opens = runs[run]?.testAccuracy !== undefined ? runs[run]?.opensAfter : undefined;
    return historyChartSpec(
      {
        epoch: points.map((p) => p.epoch - 1),
        history: Object.fromEntries(names.map((n) => [n, points.map((p) => p.logs[n] as number)])),
      },
      opens ? { ...options, marks: [{ epoch: opens + 0.5, label: 'last block opens' }] } : options,
    );
  };
  const specs = {
    plain: useMemo(() => chart('plain'), [runs.plain]),
    augmented: useMemo(() => chart('augmented'), [runs.augmented]),
    features: useMemo(() => chart('features'), [runs.features]),
    'fine-tuning': useMemo(() => chart('fine-tuning'), [runs['fine-tuning']]),
  };
  const train = () => {
    training.current = chosen;
    setMessage('');
    client.current?.send({ type: 'train', runs: chosen.map((run) => ({ run, epochs: epochs[run] })) });
  };
  const url = (patch: Record<string, string>) => {
    for (const [k, v] of Object.entries(patch)) params.set(k, v);
    history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
  };
  const setRunEpochs = (run: RunName, value: string) => {
    const n = Number(value);
    if (!inRange(n, { min: 1, max: MAX_EPOCHS }))
      return setMessage(`epochs ${value} is not allowed for ${RUN_RECIPES[run]}: an integer from 1 to ${MAX_EPOCHS}`);
    setMessage('');
    setEpochs((e) => ({ ...e, [run]: n }));
    url({ [`epochs-${run}`]: String(n) });
  };
  const choose = (run: RunName, on: boolean) => {
    const next = RUN_NAMES.filter((r) => (r === run ? on : chosen.includes(r)));
    setChosen(next);
    url({ runs: next.join(',') });
  };

  return (
    <main class="images-page">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapters 10 and 11
      </p>
      <h1>Your own images: a small CNN, data augmentation and transfer learning</h1>
      <p class="lead">
        Chapter 10 trains a small convolutional network on photos of cats and dogs; chapter 11 shows it overfits, and
        that showing it altered copies of each photo (augmentation) helps. Here it runs on pictures of your own, in your
        browser: they never leave it. Then the rest of chapter 11: a network trained on a million pictures (a
        MobileNetV2) lends what it learnt, by feature extraction and by fine-tuning.
      </p>
      <Notes notes={notes} />
      <BackendPanel
        report={report}
        choice={backend}
        onChoose={(next) => {
          // The images stay in the page only: choosing another backend starts the page again.
          params.set('backend', next);
          location.search = params.toString();
        }}
        where={client.current?.where}
      />

      <section>
        <h2>1. Your images, two classes or more</h2>
        <table id="classes" class="classes">
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id}>
                <td>
                  <input
                    class="class-name"
                    aria-label={`name of class ${i + 1}`}
                    value={row.name}
                    onInput={(e) => {
                      const name = (e.currentTarget as HTMLInputElement).value;
                      setRows((rs) => rs.map((r) => (r.id === row.id ? { ...r, name } : r)));
                    }}
                  />
                </td>
                <td>
                  <input
                    class="class-files"
                    type="file"
                    multiple
                    accept="image/*"
                    aria-label={`images of class ${i + 1}`}
                    onChange={(e) => {
                      const files = [...((e.currentTarget as HTMLInputElement).files ?? [])];
                      setRows((rs) => rs.map((r) => (r.id === row.id ? { ...r, files } : r)));
                    }}
                  />
                </td>
                <td>{row.files.length} files</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="controls">
          <button
            type="button"
            id="add-class"
            onClick={() => setRows((rs) => [...rs, { id: Date.now(), name: `class ${rs.length + 1}`, files: [] }])}
          >
            Add a class
          </button>
          <button
            type="button"
            id="load"
            onClick={() => void load()}
            disabled={phase === 'loading' || phase === 'training'}
          >
            Use these images
          </button>
        </p>
        <Message text={message} />
        {loaded && (
          <div id="loaded">
            <p>
              {loaded.classes
                .map((c) => `${c.name}: ${c.images} images (${c.train} to train, ${c.test} to test)`)
                .join('; ')}
              . Each is scaled to {SIZE} × {SIZE}, as the book's photos.
            </p>
            {loaded.skipped.length > 0 && (
              <p id="skipped" class="message">
                {loaded.skipped.length} file{loaded.skipped.length === 1 ? ' is' : 's are'} not{' '}
                {loaded.skipped.length === 1 ? 'an image' : 'images'} and
                {loaded.skipped.length === 1 ? ' was' : ' were'} left out:{' '}
                {loaded.skipped.map((s) => `${s.file} (${s.className}: ${s.reason})`).join(', ')}.
              </p>
            )}
          </div>
        )}
      </section>

      {loaded && (
        <section>
          <h2>2. Augmentation, previewed on your first image</h2>
          <div class="augment">
            <div class="sliders">
              {SLIDERS.map((s) => (
                <label key={s.name}>
                  <span>{s.label}</span>
                  <input
                    id={s.name}
                    type="range"
                    min={s.min}
                    max={s.max}
                    step={s.step}
                    value={augment[s.name]}
                    onInput={(e) => changeAugment({ [s.name]: Number((e.currentTarget as HTMLInputElement).value) })}
                  />
                  <output>{augment[s.name]}</output>
                </label>
              ))}
              <label>
                <span>horizontal flip</span>
                <input
                  id="horizontalFlip"
                  type="checkbox"
                  checked={augment.horizontalFlip}
                  onChange={(e) => changeAugment({ horizontalFlip: (e.currentTarget as HTMLInputElement).checked })}
                />
              </label>
              <label>
                <span>fill mode</span>
                <select
                  id="fillMode"
                  value={augment.fillMode}
                  onChange={(e) =>
                    changeAugment({ fillMode: (e.currentTarget as HTMLSelectElement).value as FillMode })
                  }
                >
                  {fillModes.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div id="preview" class="preview">
              <Thumbnail thumbnails={loaded.first} index={0} />
              {preview &&
                Array.from({ length: preview.images.count }, (_, i) => (
                  <Thumbnail key={i} thumbnails={preview.images} index={i} />
                ))}
            </div>
          </div>
          <p class="hint">
            The first picture is the image as it is; the others are what a training batch may show instead. The
            chapter-11 run uses the book's settings (the sliders' starting values).
          </p>
        </section>
      )}

      {loaded && (
        <section>
          <h2>3. Train: from scratch, with augmentation, and on a pretrained network</h2>
          <fieldset id="runs" class="runs">
            {RUN_NAMES.map((run) => (
              <div key={run} class="run">
                <label>
                  <input
                    type="checkbox"
                    id={`run-${run}`}
                    checked={chosen.includes(run)}
                    disabled={phase === 'training'}
                    onChange={(e) => choose(run, (e.currentTarget as HTMLInputElement).checked)}
                  />{' '}
                  <code>{RUN_RECIPES[run]}</code>: {RUNS[run]}
                </label>
                <label class="epochs">
                  <input
                    id={`epochs-${run}`}
                    type="number"
                    min={1}
                    max={MAX_EPOCHS}
                    value={epochs[run]}
                    disabled={phase === 'training'}
                    onChange={(e) => setRunEpochs(run, (e.currentTarget as HTMLInputElement).value)}
                  />{' '}
                  {run === 'fine-tuning' ? 'epochs in each phase' : 'epochs'}
                </label>
              </div>
            ))}
          </fieldset>
          <p class="controls">
            <button type="button" id="train" disabled={phase === 'training' || chosen.length === 0} onClick={train}>
              Train {chosen.length === 1 ? 'it' : `these ${chosen.length}`}
            </button>
            <StopResume
              phase={phase}
              onStop={() => client.current?.send({ type: 'stop' })}
              onResume={() => client.current?.send({ type: 'resume' })}
              onMessage={setMessage}
            />
          </p>
          <p class="progress">
            <progress id="progress" value={progress.done} max={progress.total} />{' '}
            <span id="progress-text">{progress.text}</span>
          </p>
          {status && (
            <p id="status" class="hint">
              {status}
            </p>
          )}
          {pretrained && (
            <p class="hint" id="pretrained">
              The pretrained base: MobileNetV2 ({pretrained.layers} layers), loaded in {pretrained.seconds.toFixed(1)}{' '}
              s; it reads your images at {pretrained.size} × {pretrained.size}.
            </p>
          )}
          <div class="columns">
            {RUN_NAMES.filter((run) => chosen.includes(run) || runs[run]).map((run) => (
              <VegaChart
                key={run}
                spec={specs[run]}
                placeholder={!runs[run]?.epochs.length}
                layout={runs[run]?.testAccuracy !== undefined && runs[run]?.opensAfter ? 'marked' : ''}
                id={`history-${run}`}
                label={`the curves of ${RUN_RECIPES[run]}`}
              />
            ))}
          </div>
          <table id="comparison">
            <thead>
              <tr>
                <th>run</th>
                <th>epochs</th>
                <th>final training accuracy</th>
                <th>final validation accuracy</th>
                <th>test accuracy</th>
              </tr>
            </thead>
            <tbody>
              {RUN_NAMES.map((run) => {
                const r = runs[run];
                const last = r?.epochs.at(-1)?.logs;
                return (
                  <tr key={run} data-run={run}>
                    <td>
                      <code>{RUN_RECIPES[run]}</code>: {RUNS[run]}
                    </td>
                    <td>{r?.epochs.length ?? '…'}</td>
                    <td>{last?.accuracy?.toFixed(3) ?? '…'}</td>
                    <td>{last?.val_accuracy?.toFixed(3) ?? '…'}</td>
                    <td>
                      {r?.testAccuracy !== undefined ? `${r.testAccuracy.toFixed(3)} (${r.testCount} images)` : '…'}
                      {r?.from ? `, loaded from ${r.from}` : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="hint">
            The pretrained network is the MobileNetV2 that the <code>nsfwjs</code> package ships (ImageNet weights, then
            trained to tell five kinds of picture apart), served with this app; the book uses VGG16, which is 20 times
            larger. Fine-tuning trains the classifier for its epochs with the base frozen, then as many again with the
            base's last block open, at a learning rate of 1e-5. The CLI runs the same recipes on a folder:{' '}
            <code>pnpm neurona train ch11-fine-tuning --data-dir FOLDER</code> (with train/, validation/ and test/ in
            it).
          </p>
        </section>
      )}
      {phase !== 'choosing' && phase !== 'loading' && (
        <ModelsSection
          hasModel={runs[modelRun]?.testAccuracy !== undefined}
          saved={saved}
          onExport={() => client.current?.send({ type: 'export', run: modelRun })}
          onImport={(model) => client.current?.send({ type: 'import', model })}
          onSave={(name) => client.current?.send({ type: 'save', run: modelRun, name })}
          onLoad={(name) => client.current?.send({ type: 'open', name })}
          onDelete={(name) => client.current?.send({ type: 'delete', name })}
          onMessage={setMessage}
          defaultName="my-images"
          cliUse={
            <>
              three files: put them in a folder and run <code>pnpm neurona predict FOLDER photo.jpg</code> (a
              feature-extraction run is exported with its base, so it takes pictures too)
            </>
          }
        >
          <label>
            the model of{' '}
            <select
              id="model-run"
              value={modelRun}
              onChange={(e) => setModelRun((e.currentTarget as HTMLSelectElement).value as RunName)}
            >
              {RUN_NAMES.map((run) => (
                <option key={run} value={run}>
                  {RUN_RECIPES[run]}
                </option>
              ))}
            </select>
          </label>{' '}
        </ModelsSection>
      )}
    </main>
  );
}
