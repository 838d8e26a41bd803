import type { AugmentOptions, FillMode } from '@neurona/augmentation';
import { fillModes } from '@neurona/augmentation';
import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { historyChartSpec } from '@neurona/viz';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import { type BackendChoice, isBackendChoice } from '../shell/backends.js';
import type { EngineClient } from '../shell/engine-client.js';
import { Message } from '../shell/Notes.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectImages } from './client.js';
import type { ImagesEvent, ImagesRequest, RunName, Thumbnails } from './engine.js';
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
  plain: 'ch10-dogs-cats: the small CNN as it is',
  augmented: 'ch11-augmentation: with Dropout, on augmented batches',
};

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
    Record<RunName, { epochs: { epoch: number; logs: Logs }[]; testAccuracy?: number; testCount?: number }>
  >;
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

/**
 * `/images`: book chapters 10–11 on your own images. Two classes of pictures chosen in the page;
 * the augmentation of chapter 11 previewed on them, one slider per range; the chapter-10 CNN
 * trained on them without and with augmentation, the curves side by side.
 */
export function ImagesPage() {
  const params = new URLSearchParams(location.search);
  const backend: BackendChoice = isBackendChoice(params.get('backend'))
    ? (params.get('backend') as BackendChoice)
    : 'auto';
  const epochsParam = Number(params.get('epochs') ?? 10);
  const [epochs, setEpochs] = useState(
    Number.isInteger(epochsParam) && epochsParam >= 1 && epochsParam <= 200 ? epochsParam : 10,
  );
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
      case 'begin':
        setPhase('training');
        setRuns((r) => ({ ...r, [event.run]: { epochs: [] } }));
        return;
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
            epochs: r[event.run]?.epochs ?? [],
            testAccuracy: event.testAccuracy,
            testCount: event.testCount,
          },
        }));
        if (event.run === 'augmented') setPhase('done');
        return;
      case 'stopped':
        setPhase('stopped');
        return;
      case 'error':
        previewState.current = { busy: false, again: false };
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
    };
  }, [phase, report, loaded, preview, runs]);

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
  };

  const changeAugment = (patch: Partial<typeof augment>) => {
    const next = { ...augment, ...patch };
    setAugment(next);
    augmentRef.current = next;
    if (loaded) requestPreview(next);
  };

  const chart = (run: RunName) => {
    const points = runs[run]?.epochs ?? [];
    const options = { metrics: ['loss', 'accuracy'], width: 200, height: 120, title: RUNS[run] };
    if (points.length === 0)
      return historyChartSpec({ history: { loss: [1], val_loss: [1], accuracy: [0.5], val_accuracy: [0.5] } }, options);
    const names = Object.keys(points[0]?.logs ?? {});
    return historyChartSpec(
      {
        epoch: points.map((p) => p.epoch - 1),
        history: Object.fromEntries(names.map((n) => [n, points.map((p) => p.logs[n] as number)])),
      },
      options,
    );
  };
  const plainSpec = useMemo(() => chart('plain'), [runs.plain]);
  const augmentedSpec = useMemo(() => chart('augmented'), [runs.augmented]);

  return (
    <main class="images-page">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapters 10 and 11
      </p>
      <h1>Your own images: a small CNN, and data augmentation</h1>
      <p class="lead">
        Chapter 10 trains a small convolutional network on photos of cats and dogs; chapter 11 shows it overfits, and
        that showing it altered copies of each photo (augmentation) helps. Here it runs on pictures of your own, in your
        browser: they never leave it.
      </p>
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
          <h2>3. Train, without and with augmentation</h2>
          <p class="controls">
            <label>
              epochs{' '}
              <input
                id="epochs"
                type="number"
                min={1}
                max={200}
                value={epochs}
                onChange={(e) => {
                  const n = Number((e.currentTarget as HTMLInputElement).value);
                  if (Number.isInteger(n) && n >= 1 && n <= 200) setEpochs(n);
                  else setMessage(`epochs ${n} is not allowed: an integer from 1 to 200`);
                }}
              />
            </label>
            <button
              type="button"
              id="train"
              disabled={phase === 'training'}
              onClick={() => client.current?.send({ type: 'train', runs: ['plain', 'augmented'], epochs })}
            >
              Train both
            </button>
            {phase === 'training' && (
              <button type="button" id="stop" onClick={() => client.current?.send({ type: 'stop' })}>
                Stop
              </button>
            )}
          </p>
          <div class="columns">
            <VegaChart
              spec={plainSpec}
              placeholder={!runs.plain?.epochs.length}
              id="history-plain"
              label="the plain run's curves"
            />
            <VegaChart
              spec={augmentedSpec}
              placeholder={!runs.augmented?.epochs.length}
              id="history-augmented"
              label="the augmented run's curves"
            />
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
              {(['plain', 'augmented'] as const).map((run) => {
                const r = runs[run];
                const last = r?.epochs.at(-1)?.logs;
                return (
                  <tr key={run}>
                    <td>{RUNS[run]}</td>
                    <td>{r?.epochs.length ?? '…'}</td>
                    <td>{last?.accuracy?.toFixed(3) ?? '…'}</td>
                    <td>{last?.val_accuracy?.toFixed(3) ?? '…'}</td>
                    <td>
                      {r?.testAccuracy !== undefined ? `${r.testAccuracy.toFixed(3)} (${r.testCount} images)` : '…'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="hint">
            Transfer learning (feature extraction and fine-tuning on a pretrained MobileNetV2, the rest of chapter 11)
            runs in the CLI: <code>pnpm neurona train ch11-feature-extraction</code>. The app does not serve the
            pretrained weights yet.
          </p>
        </section>
      )}
    </main>
  );
}
