import type { BackendReport } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import type { GanLogs, SampleScores } from '@neurona/gan';
import type { GanBaselines } from '@neurona/recipes';
import { historyChartSpec } from '@neurona/viz';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { drawGrey } from '../fashion/pictures.js';
import { BackendPanel } from '../shell/BackendPanel.js';
import type { BackendChoice } from '../shell/backends.js';
import { downloadExport } from '../shell/download.js';
import type { EngineClient } from '../shell/engine-client.js';
import { ModelsSection } from '../shell/ModelsSection.js';
import type { SavedModel } from '../shell/model-store.js';
import { Message, Notes } from '../shell/Notes.js';
import { formatSeconds, Pace } from '../shell/pace.js';
import { StopResume } from '../shell/StopResume.js';
import {
  allowedNumbers,
  inRange,
  type NumberRange,
  readBackend,
  readNumber,
  writeSettings,
} from '../shell/url-settings.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectGan } from './client.js';
import type { GanEvent, GanRequest, GanTraining, Pictures } from './engine.js';

interface Settings extends GanTraining {
  backend: BackendChoice;
  worker: boolean;
}

// Six epochs of 100 steps: clothes you can name, in about 8 minutes on two laptop cores (README).
const DEFAULTS: Settings = {
  epochs: 6,
  trainImages: 3200,
  batchSize: 32,
  scoreImages: 500,
  seed: 42,
  backend: 'auto',
  worker: true,
};
type NumberSetting = keyof GanTraining;
const RANGES: Record<NumberSetting, NumberRange> = {
  epochs: { min: 1, max: 100 },
  trainImages: { min: 64, max: 8000 },
  batchSize: { min: 8, max: 256 },
  scoreImages: { min: 100, max: 2000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

/** The settings a URL asks for, and a note for each value the page could not take (its default is used). */
function readSettings(search: string): { settings: Settings; notes: string[] } {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const settings = { ...DEFAULTS };
  for (const [name, range] of Object.entries(RANGES) as [NumberSetting, NumberRange][])
    settings[name] = readNumber(params, name, range, String(DEFAULTS[name]), notes) ?? DEFAULTS[name];
  if (settings.batchSize > settings.trainImages) {
    notes.push(
      `batchSize ${settings.batchSize} is more than the ${settings.trainImages} training images; using ${DEFAULTS.batchSize} (allowed: at most trainImages)`,
    );
    settings.batchSize = Math.min(DEFAULTS.batchSize, settings.trainImages);
  }
  settings.backend = readBackend(params, notes);
  settings.worker = params.get('worker') !== '0';
  return { settings, notes };
}

type Phase = 'idle' | 'training' | 'stopped' | 'done' | 'error';

interface EpochRow {
  epoch: number;
  logs: GanLogs;
  seconds: number;
}

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface GanView {
  phase: Phase;
  backend: string;
  report: string;
  where: string;
  classifier?: { testAccuracy: number; trained: boolean };
  baselines?: GanBaselines;
  epochs: EpochRow[];
  /** A fingerprint of each grid drawn: epoch 0 (untrained) first. */
  grids: number[];
  final?: { scores: SampleScores; distanceRatio: number; imagesPerSecond: number };
  /** Where a generator not trained here came from: `saved model 'x'`, `generator-model.json`. */
  loaded?: string;
  saved: SavedModel[];
  walk: number;
}

declare global {
  interface Window {
    gan?: GanView;
  }
}

/** A number that changes when the picture does: the sum of its pixels, weighted by position. */
function fingerprint(pixels: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += (pixels[i] as number) * ((i % 97) + 1);
  return Math.round(sum * 1000) / 1000;
}

/** Draws `pictures` as a grid of `columns`, 28 × 28 each, [−1, 1] from black to white. */
function drawGrid(canvas: HTMLCanvasElement, pictures: Pictures, columns: number) {
  const rows = Math.ceil(pictures.count / columns);
  const tile = document.createElement('canvas');
  canvas.width = columns * 28;
  canvas.height = rows * 28;
  const context = canvas.getContext('2d');
  if (!context) return;
  for (let i = 0; i < pictures.count; i++) {
    drawGrey(tile, pictures.pixels.subarray(i * 784, (i + 1) * 784), 28, 28, -1, 1);
    context.drawImage(tile, (i % columns) * 28, Math.floor(i / columns) * 28);
  }
}

function Grid({ pictures, columns, id, label }: { pictures: Pictures; columns: number; id?: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawGrid(ref.current, pictures, columns);
  }, [pictures, columns]);
  return <canvas id={id} ref={ref} class="pixelated" role="img" aria-label={label} />;
}

/**
 * `/gan`: book ch. 14. The DCGAN trained here by the gan package's hand-written loop on the
 * Fashion-MNIST sample: the same 16 noise points drawn after every epoch, both losses, the
 * sample scores against the untrained generator and the real images, and a walk through the
 * latent space.
 */
export function GanPage() {
  const initial = useMemo(() => readSettings(location.search), []);
  const [settings, setSettings] = useState(initial.settings);
  const [report, setReport] = useState<BackendReport>();
  const [phase, setPhase] = useState<Phase>('idle');
  const [status, setStatus] = useState('press Train: the DCGAN trains here, in a Web Worker');
  const [message, setMessage] = useState('');
  const [classifier, setClassifier] = useState<GanView['classifier']>();
  const [baselines, setBaselines] = useState<GanBaselines>();
  const [rows, setRows] = useState<EpochRow[]>([]);
  const [grids, setGrids] = useState<{ epoch: number; pictures: Pictures }[]>([]);
  const [progress, setProgress] = useState({ done: 0, total: 1, text: '' });
  const [final, setFinal] = useState<GanView['final']>();
  const [loaded, setLoaded] = useState<string>();
  const [saved, setSaved] = useState<SavedModel[]>([]);
  const [walk, setWalk] = useState<Pictures>();
  const [walkFrom, setWalkFrom] = useState(1);
  const [walkTo, setWalkTo] = useState(2);
  const client = useRef<EngineClient<GanRequest> | undefined>(undefined);
  const pace = useRef(new Pace());

  const onEvent = (event: GanEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'status':
        setStatus(event.text);
        return;
      case 'classifier':
        setClassifier({ testAccuracy: event.testAccuracy, trained: event.trained });
        return;
      case 'begin':
        setLoaded(undefined);
        setRows([]);
        setGrids([]);
        setFinal(undefined);
        setWalk(undefined);
        setPhase('training');
        pace.current.restart();
        return;
      case 'baselines':
        setBaselines(event.baselines);
        setGrids([{ epoch: 0, pictures: event.grid }]);
        return;
      case 'progress': {
        const total = event.epochs * event.batches;
        const done = event.epoch * event.batches + event.batch;
        const left = pace.current.secondsLeft(done, total);
        setProgress({
          done,
          total,
          text: `epoch ${event.epoch + 1} of ${event.epochs}, step ${event.batch} of ${event.batches} · d_loss ${event.logs.d_loss.toFixed(3)}, g_loss ${event.logs.g_loss.toFixed(3)} · ${formatSeconds(left)} left`,
        });
        return;
      }
      case 'epoch':
        setRows((r) => [...r, { epoch: event.epoch, logs: event.logs, seconds: event.seconds }]);
        setGrids((g) => [...g, { epoch: event.epoch, pictures: event.grid }]);
        return;
      case 'stopped':
        setPhase('stopped');
        setStatus(
          `stopped at epoch ${event.epoch + 1}, step ${event.batch}: Resume goes on from there, Train starts over`,
        );
        return;
      case 'resumed':
        setPhase('training');
        pace.current.restart();
        return;
      case 'exported':
        setMessage(downloadExport(event.files, 'generate images --model FOLDER --out grid.png'));
        return;
      case 'done':
        setFinal({ scores: event.final, distanceRatio: event.distanceRatio, imagesPerSecond: event.imagesPerSecond });
        setPhase('done');
        setStatus('done');
        setProgress((p) => ({ ...p, done: p.total, text: 'done' }));
        client.current?.send({ type: 'walk', from: 1, to: 2, steps: 10 });
        return;
      case 'walk':
        setWalk(event.frames);
        return;
      case 'opened':
        // A generator loaded, not trained here: its grid from the fixed noise, and a walk.
        setRows([]);
        setBaselines(undefined);
        setFinal(undefined);
        setWalk(undefined);
        setGrids([{ epoch: event.epochs, pictures: event.grid }]);
        setLoaded(event.from);
        setPhase('done');
        setStatus(`loaded ${event.from} (${event.epochs} epochs; ${event.figure})`);
        client.current?.send({ type: 'walk', from: 1, to: 2, steps: 10 });
        return;
      case 'saved':
        setSaved(event.models);
        return;
      case 'error':
        if (event.during === 'train') {
          setPhase('error');
          setStatus(`error: ${event.message}`);
        }
        setMessage(`${event.during}: ${event.message}`);
        return;
    }
  };

  useEffect(() => {
    writeSettings(initial.settings, DEFAULTS);
    let alive = true;
    void connectGan(initial.settings.worker, (e) => alive && onEvent(e)).then((c) => {
      client.current = c;
      c.send({ type: 'list' });
    });
    return () => {
      alive = false;
      client.current?.close();
    };
  }, []);

  useEffect(() => {
    document.body.dataset.state = phase;
    window.gan = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      where: client.current?.where ?? '',
      ...(classifier ? { classifier } : {}),
      ...(baselines ? { baselines } : {}),
      epochs: rows,
      grids: grids.map((g) => fingerprint(g.pictures.pixels)),
      ...(final ? { final } : {}),
      ...(loaded ? { loaded } : {}),
      saved,
      walk: walk?.count ?? 0,
    };
  }, [phase, report, classifier, baselines, rows, grids, final, walk, loaded, saved]);

  const change = (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    setSettings(next);
    writeSettings(next, DEFAULTS);
  };
  const train = () => {
    setMessage('');
    if (settings.batchSize > settings.trainImages) {
      setMessage(`batchSize ${settings.batchSize} is more than the ${settings.trainImages} training images: lower it`);
      return;
    }
    client.current?.send({ type: 'stop' });
    const { backend, worker: _w, ...training } = settings;
    client.current?.send({ type: 'train', training, backend });
  };
  const numberInput = (name: NumberSetting, label: string) => (
    <label>
      {label}{' '}
      <input
        id={name}
        type="number"
        min={RANGES[name].min}
        max={RANGES[name].max}
        value={settings[name]}
        onChange={(e) => {
          const n = Number((e.currentTarget as HTMLInputElement).value);
          if (inRange(n, RANGES[name])) change({ [name]: n });
          else setMessage(`${name} ${n} is not allowed: ${allowedNumbers(RANGES[name])}`);
        }}
      />
    </label>
  );

  // Charts are rebuilt only while nothing trains (building one holds the page for 150 ms); while
  // training, their data changes. Epoch 0 is the untrained generator.
  const lossSpec = useMemo(() => {
    const options = { metrics: ['d_loss', 'g_loss', 'd_accuracy'], width: 200, height: 120 };
    if (rows.length === 0)
      return historyChartSpec({ history: { d_loss: [1], g_loss: [1], d_accuracy: [0.5] } }, options);
    const series = (k: keyof GanLogs) => rows.map((r) => r.logs[k] as number);
    return historyChartSpec(
      {
        epoch: rows.map((r) => r.epoch - 1),
        history: { d_loss: series('d_loss'), g_loss: series('g_loss'), d_accuracy: series('d_accuracy') },
      },
      options,
    );
  }, [rows]);
  const qualitySpec = useMemo(() => {
    const options = {
      metrics: ['frechet_distance', 'class_spread'],
      width: 220,
      height: 120,
      splits: ['generated', 'real images'] as const,
    };
    if (!baselines) return historyChartSpec({ history: { frechet_distance: [1], class_spread: [1] } }, options);
    const epochs = [0, ...rows.map((r) => r.epoch)];
    return historyChartSpec(
      {
        epoch: epochs.map((e) => e - 1),
        history: {
          frechet_distance: [
            baselines.untrained.frechetDistance,
            ...rows.map((r) => r.logs.frechet_distance as number),
          ],
          class_spread: [baselines.untrained.classSpread, ...rows.map((r) => r.logs.class_spread as number)],
          // The real images' own figures, as a level line: what the generator is chasing.
          val_frechet_distance: epochs.map(() => baselines.floor.frechetDistance),
          val_class_spread: epochs.map(() => baselines.reference.classSpread),
        },
      },
      options,
    );
  }, [rows, baselines]);
  const latest = grids.at(-1);

  return (
    <main class="gan-page">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapter 14
      </p>
      <h1>A DCGAN that makes clothes</h1>
      <p class="lead">
        Two networks trained against each other by a hand-written loop (book 14): a generator that turns 100 random
        numbers into a 28 × 28 image, and a discriminator that tells its images from real Fashion-MNIST ones. Trained
        here, in your browser, on the app's Fashion-MNIST sample.
      </p>
      <Notes notes={initial.notes} />
      <BackendPanel
        report={report}
        choice={settings.backend}
        onChoose={(backend) => change({ backend })}
        where={client.current?.where}
      />
      <p class="controls">
        {numberInput('epochs', 'epochs')}
        {numberInput('trainImages', 'training images')}
        {numberInput('batchSize', 'batch')}
        {numberInput('scoreImages', 'images scored')}
        {numberInput('seed', 'seed')}
        <button type="button" id="train" onClick={train} disabled={phase === 'training'}>
          Train
        </button>
        <StopResume
          phase={phase}
          onStop={() => client.current?.send({ type: 'stop' })}
          onResume={() => client.current?.send({ type: 'resume' })}
          onMessage={setMessage}
        />
      </p>
      <progress id="progress" value={progress.done} max={progress.total} />{' '}
      <span id="progress-text">{progress.text}</span>
      <p>
        Status: <span id="status">{status}</span>
        {classifier && (
          <span id="classifier">
            {' '}
            · the scoring classifier ({classifier.trained ? 'trained now' : 'kept in this browser'}) reads the test
            images with accuracy {classifier.testAccuracy.toFixed(3)}
          </span>
        )}
      </p>
      <Message text={message} />
      <div class="columns">
        <section>
          <h2>
            The same 16 noise points,{' '}
            {latest ? (latest.epoch === 0 ? 'before training' : `after epoch ${latest.epoch}`) : '…'}
          </h2>
          {latest ? (
            <Grid id="grid" pictures={latest.pictures} columns={4} label="the generator's images from fixed noise" />
          ) : (
            <p class="placeholder">The grid comes once training starts.</p>
          )}
        </section>
        <section>
          <h2>Losses</h2>
          <VegaChart
            spec={lossSpec}
            placeholder={rows.length === 0}
            id="loss-chart"
            label="both losses and the discriminator's accuracy over the epochs"
          />
          <h2>Sample quality (epoch 0: untrained)</h2>
          <VegaChart
            spec={qualitySpec}
            placeholder={!baselines}
            id="quality-chart"
            label="Fréchet distance and class spread over the epochs"
          />
        </section>
      </div>
      {grids.length > 1 && (
        <section>
          <h2>Epoch by epoch</h2>
          <div id="strip" class="strip">
            {grids.map((g) => (
              <figure key={g.epoch}>
                <Grid pictures={g.pictures} columns={4} label={`epoch ${g.epoch}`} />
                <figcaption>{g.epoch === 0 ? 'untrained' : `epoch ${g.epoch}`}</figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}
      {baselines && (
        <section>
          <h2>Scores</h2>
          <table id="scores">
            <thead>
              <tr>
                <th>images</th>
                <th>Fréchet distance</th>
                <th>classifier score</th>
                <th>class spread (nats)</th>
              </tr>
            </thead>
            <tbody>
              {[
                ['untrained generator', baselines.untrained],
                ...rows.map((r) => [
                  `after epoch ${r.epoch}`,
                  {
                    frechetDistance: r.logs.frechet_distance as number,
                    classifierScore: r.logs.classifier_score as number,
                    classSpread: r.logs.class_spread as number,
                  },
                ]),
                ['real images (the floor)', baselines.floor],
              ].map(([name, s]) => {
                const scores = s as Pick<SampleScores, 'frechetDistance' | 'classifierScore' | 'classSpread'>;
                return (
                  <tr key={name as string}>
                    <td>{name as string}</td>
                    <td>{scores.frechetDistance.toFixed(2)}</td>
                    <td>{scores.classifierScore.toFixed(2)}</td>
                    <td>{scores.classSpread.toFixed(2)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {final && (
            <p id="final">
              Fréchet distance {(100 * final.distanceRatio).toFixed(1)}% of the untrained generator's;{' '}
              {Math.round(final.imagesPerSecond)} images a second through a full step (both networks).
            </p>
          )}
        </section>
      )}
      {(final || loaded) && (
        <section>
          <h2>A walk through the latent space</h2>
          <p class="controls">
            <label>
              from seed{' '}
              <input
                id="walk-from"
                type="number"
                min={0}
                value={walkFrom}
                onChange={(e) => setWalkFrom(Number((e.currentTarget as HTMLInputElement).value))}
              />
            </label>
            <label>
              to seed{' '}
              <input
                id="walk-to"
                type="number"
                min={0}
                value={walkTo}
                onChange={(e) => setWalkTo(Number((e.currentTarget as HTMLInputElement).value))}
              />
            </label>
            <button
              type="button"
              id="walk"
              onClick={() => client.current?.send({ type: 'walk', from: walkFrom, to: walkTo, steps: 10 })}
            >
              Walk
            </button>
          </p>
          {walk && (
            <Grid
              id="walk-frames"
              pictures={walk}
              columns={walk.count}
              label="images along a line between two noise points"
            />
          )}
        </section>
      )}
      <ModelsSection
        hasModel={phase === 'done' && Boolean(final || loaded)}
        saved={saved}
        onExport={() => client.current?.send({ type: 'export' })}
        onImport={(model) => client.current?.send({ type: 'import', model, backend: settings.backend })}
        onSave={(name) => client.current?.send({ type: 'save', name })}
        onLoad={(name) => client.current?.send({ type: 'open', name, backend: settings.backend })}
        onDelete={(name) => client.current?.send({ type: 'delete', name })}
        onMessage={setMessage}
        defaultName="dcgan"
        cliUse={
          <>
            the generator, three files: put them in a folder and run{' '}
            <code>pnpm neurona generate images --model FOLDER --out grid.png</code>
          </>
        }
        importWhat={
          <>
            a generator: an export's three files, or <code>gan.json</code> and the <code>generator/</code> files of a{' '}
            <code>neurona train ch14-dcgan-fashion</code> run
          </>
        }
      />
    </main>
  );
}
