import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import type { RegressionLoss } from '@neurona/recipes';
import { historyChartSpec, predictedVsTrueSpec } from '@neurona/viz';
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
import { readBackend, readNumber, writeSettings } from '../shell/url-settings.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectMpg } from './client.js';
import type { MpgEvent, MpgRequest, MpgRun, TablePreview } from './engine.js';

const LOSSES: readonly RegressionLoss[] = ['meanSquaredError', 'meanAbsoluteError'];
const NAMES: Record<RegressionLoss, string> = { meanSquaredError: 'MSE loss', meanAbsoluteError: 'MAE loss' };

interface Settings {
  epochs: number | undefined;
  backend: BackendChoice;
  worker: boolean;
}

/** The settings a URL asks for, and a note for each value the page could not take. */
function readSettings(search: string): { settings: Settings; notes: string[] } {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const epochs = readNumber(params, 'epochs', { min: 1, max: 1000 }, "the recipe's 1,000", notes);
  return { settings: { epochs, backend: readBackend(params, notes), worker: params.get('worker') !== '0' }, notes };
}

const DEFAULTS: Settings = { epochs: undefined, backend: 'auto', worker: true };

type Phase = 'loading' | 'training' | 'done' | 'stopped' | 'error';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface AutoMpgView {
  phase: Phase;
  backend: string;
  report: string;
  where: string;
  preview?: Omit<TablePreview, 'rows'> & { shown: number };
  epochs: Record<RegressionLoss, number>;
  runs: Partial<Record<RegressionLoss, Omit<MpgRun, 'truth' | 'predicted'> & { points: number }>>;
  /** The progress line: epoch, at most how many, time left at most. */
  progress: string;
  saved: SavedModel[];
}

declare global {
  interface Window {
    autoMpg?: AutoMpgView;
  }
}

const format = (v: unknown) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '–') : String(v ?? '–'));

/**
 * `/auto-mpg`: book ch. 9, the stages of a project on a regression. The table and its split, the
 * network trained with early stopping (the epoch it stopped at and the one it kept marked on the
 * curves), once on the MSE and once on the MAE (9.4.5), and the test cars' predictions against the
 * truth.
 */
export function AutoMpgPage() {
  const initial = useMemo(() => readSettings(location.search), []);
  const [settings, setSettings] = useState(initial.settings);
  const [report, setReport] = useState<BackendReport>();
  const [phase, setPhase] = useState<Phase>('loading');
  const [status, setStatus] = useState('loading the table…');
  const [message, setMessage] = useState('');
  const [preview, setPreview] = useState<TablePreview>();
  const [history, setHistory] = useState<Record<RegressionLoss, { epoch: number; logs: Logs }[]>>({
    meanSquaredError: [],
    meanAbsoluteError: [],
  });
  const [runs, setRuns] = useState<Partial<Record<RegressionLoss, MpgRun>>>({});
  const [progress, setProgress] = useState({ done: 0, total: 1, text: '' });
  const [saved, setSaved] = useState<SavedModel[]>([]);
  const [chosen, setChosen] = useState<RegressionLoss>('meanSquaredError');
  const client = useRef<EngineClient<MpgRequest> | undefined>(undefined);
  const queue = useRef<RegressionLoss[]>([]);
  const pace = useRef(new Pace());

  const next = () => {
    const loss = queue.current.shift();
    if (loss) client.current?.send({ type: 'train', loss, ...(settings.epochs ? { epochs: settings.epochs } : {}) });
  };
  const nextRef = useRef(next);
  const maxEpochs = useRef(1000);
  nextRef.current = next;

  const onEvent = (event: MpgEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'table':
        setPreview(event.preview);
        return;
      case 'begin':
        setPhase('training');
        if (!event.resumed) setHistory((h) => ({ ...h, [event.loss]: [] }));
        setRuns((r) => ({ ...r, [event.loss]: undefined }));
        setStatus(
          `${event.resumed ? 'going on' : 'training'} on the ${NAMES[event.loss]}, at most ${event.maxEpochs} epochs…`,
        );
        pace.current.restart();
        maxEpochs.current = event.maxEpochs;
        return;
      case 'epoch': {
        setHistory((h) => ({
          ...h,
          [event.loss]: [
            ...h[event.loss].filter((p) => p.epoch < event.epoch),
            { epoch: event.epoch, logs: event.logs },
          ],
        }));
        // Early stopping may end the run at any epoch: the time left is at most this.
        const left = pace.current.secondsLeft(event.epoch, maxEpochs.current);
        setProgress({
          done: event.epoch,
          total: maxEpochs.current,
          text: `${NAMES[event.loss]}: epoch ${event.epoch} of at most ${maxEpochs.current} · val_loss ${(event.logs.val_loss ?? Number.NaN).toFixed(3)} · at most ${formatSeconds(left)} left (early stopping ends it sooner)`,
        });
        return;
      }
      case 'done':
        setRuns((r) => ({ ...r, [event.run.loss]: event.run }));
        if (event.run.from) {
          // A loaded model: the curves on the page were another run's.
          setHistory((h) => ({ ...h, [event.run.loss]: [] }));
          setChosen(event.run.loss);
          setPhase('done');
          setStatus(`loaded ${event.run.from} as the ${NAMES[event.run.loss]} model`);
          return;
        }
        setProgress({ done: 1, total: 1, text: `${NAMES[event.run.loss]}: ${event.run.epochsRun} epochs, done` });
        if (queue.current.length > 0) nextRef.current();
        else {
          setPhase('done');
          setStatus('done');
        }
        return;
      case 'stopped':
        // The runs after this one stay queued: Resume goes on with them.
        setPhase('stopped');
        setStatus(`stopped the ${NAMES[event.loss]} run at epoch ${event.epoch + 1}: Resume goes on from there`);
        return;
      case 'exported':
        setMessage(downloadExport(event.files, 'evaluate FOLDER'));
        return;
      case 'saved':
        setSaved(event.models);
        return;
      case 'error':
        setMessage(`${event.during}: ${event.message}`);
        // A model request that failed (a file of another network) leaves the runs as they were.
        if (!['load', 'train', 'resume'].includes(event.during)) return;
        queue.current = [];
        setPhase('error');
        setStatus(`error: ${event.message}`);
        return;
    }
  };

  const train = (losses: RegressionLoss[]) => {
    setMessage('');
    client.current?.send({ type: 'stop' });
    queue.current = [...losses];
    next();
  };

  useEffect(() => {
    writeSettings(initial.settings, DEFAULTS);
    let alive = true;
    void connectMpg(initial.settings.worker, (e) => alive && onEvent(e)).then((c) => {
      client.current = c;
      c.send({ type: 'load', backend: initial.settings.backend });
      queue.current = [...LOSSES];
      nextRef.current();
    });
    return () => {
      alive = false;
      client.current?.close();
    };
  }, []);

  useEffect(() => {
    document.body.dataset.state = phase;
    const { rows: shown, ...rest } = preview ?? { rows: [] };
    window.autoMpg = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      where: client.current?.where ?? '',
      ...(preview ? { preview: { ...(rest as Omit<TablePreview, 'rows'>), shown: shown.length } } : {}),
      epochs: {
        meanSquaredError: history.meanSquaredError.length,
        meanAbsoluteError: history.meanAbsoluteError.length,
      },
      runs: Object.fromEntries(
        Object.entries(runs)
          .filter(([, r]) => r)
          .map(([k, r]) => {
            const { truth, predicted, ...figures } = r as MpgRun;
            return [k, { ...figures, points: predicted.length }];
          }),
      ),
      progress: progress.text,
      saved,
    };
  }, [phase, report, preview, history, runs, progress, saved]);

  // Charts are built (or built again with marks) only while nothing trains: building one holds the
  // main thread for 150 ms, and the page must keep drawing during training.
  const settled = phase !== 'training';
  const scatter = useMemo(() => {
    const done = LOSSES.filter((l) => runs[l]);
    if (done.length === 0 || !settled) return undefined;
    const truth = (runs[done[0] as RegressionLoss] as MpgRun).truth;
    return predictedVsTrueSpec(truth, Object.fromEntries(done.map((l) => [NAMES[l], (runs[l] as MpgRun).predicted])), {
      unit: 'MPG',
      title: `the ${truth.length} test cars`,
      size: 280,
    });
  }, [runs, settled]);

  return (
    <main class="auto-mpg">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapter 9
      </p>
      <h1>Auto MPG: the stages of a project, on a regression</h1>
      <p class="lead">
        Predict a car's fuel consumption (miles per gallon) from its engine, weight, year and origin: the book's chapter
        9, trained here in your browser with <code>ch09-auto-mpg</code>.
      </p>
      <Notes notes={initial.notes} />
      <BackendPanel
        report={report}
        choice={settings.backend}
        onChoose={(backend) => {
          const next = { ...settings, backend };
          writeSettings(next, DEFAULTS);
          location.reload();
        }}
        where={client.current?.where}
      />

      <section>
        <h2>1. The data</h2>
        {preview ? (
          <>
            <p id="table-summary">
              {preview.total} cars; the {preview.dropped} without an mpg or a horsepower are dropped. The rest are split
              with the recipe's seed: <strong>{preview.split.train}</strong> to train,{' '}
              <strong>{preview.split.validation}</strong> to watch for early stopping,{' '}
              <strong>{preview.split.test}</strong> held out for the test. The {preview.features.length} features (
              {preview.features.join(', ')}) are standardised with the training part's mean and deviation;{' '}
              <code>origin</code> is one-hot.
            </p>
            <div class="table-scroll">
              <table id="preview">
                <thead>
                  <tr>
                    {preview.columns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row, i) => (
                    <tr key={i}>
                      {preview.columns.map((c) => (
                        <td key={c}>{format(row[c])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p class="placeholder">loading the table…</p>
        )}
      </section>

      <section>
        <h2>2. Training, with early stopping</h2>
        <p class="controls">
          <label>
            at most{' '}
            <input
              id="epochs"
              type="number"
              min={1}
              max={1000}
              placeholder="1000"
              value={settings.epochs ?? ''}
              onChange={(e) => {
                const n = Number((e.currentTarget as HTMLInputElement).value);
                const next = { ...settings, epochs: Number.isInteger(n) && n >= 1 && n <= 1000 ? n : undefined };
                setSettings(next);
                writeSettings(next, DEFAULTS);
              }}
            />{' '}
            epochs
          </label>{' '}
          <button type="button" id="train-both" onClick={() => train([...LOSSES])}>
            Train both again
          </button>{' '}
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
        <p>
          Status: <span id="status">{status}</span>
        </p>
        <Message text={message} />
        <p class="hint">
          Training stops once the validation loss has not improved for 10 epochs, and keeps the weights of its best
          epoch. Both are marked on the curves. The two runs differ only in the loss they minimise: 9.4.5 of the book.
        </p>
        <div class="columns">
          {LOSSES.map((loss) => (
            <HistoryPanel key={loss} loss={loss} points={history[loss]} run={settled ? runs[loss] : undefined} />
          ))}
        </div>
      </section>

      <section>
        <h2>3. The test cars</h2>
        <table id="comparison">
          <thead>
            <tr>
              <th>trained on</th>
              <th>epochs run</th>
              <th>best epoch (kept)</th>
              <th>test MAE (MPG)</th>
              <th>test MSE</th>
              <th>seconds</th>
            </tr>
          </thead>
          <tbody>
            {LOSSES.map((loss) => {
              const run = runs[loss];
              return (
                <tr key={loss} data-loss={loss}>
                  <td>{NAMES[loss]}</td>
                  <td>
                    {run
                      ? `${format(run.epochsRun)}${run.stoppedEarly ? ' (stopped early)' : ''}${run.from ? `, loaded from ${run.from}` : ''}`
                      : '…'}
                  </td>
                  <td>{run ? format(run.bestEpoch) : '…'}</td>
                  <td>{run ? run.test.mae.toFixed(2) : '…'}</td>
                  <td>{run ? run.test.mse.toFixed(2) : '…'}</td>
                  <td>{run && Number.isFinite(run.seconds) ? run.seconds.toFixed(1) : '…'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <VegaChart
          spec={scatter}
          id="scatter"
          label="predicted against true MPG of the test cars"
          redrawMs={0}
          layout={Object.keys(runs).join()}
        />
        <p class="hint">Points on the dashed line are predicted exactly; above it, the model overestimates.</p>
      </section>

      <ModelsSection
        hasModel={Boolean(runs[chosen])}
        saved={saved}
        onExport={() => client.current?.send({ type: 'export', loss: chosen })}
        onImport={(model) => client.current?.send({ type: 'import', model })}
        onSave={(name) => client.current?.send({ type: 'save', loss: chosen, name })}
        onLoad={(name) => client.current?.send({ type: 'open', name })}
        onDelete={(name) => client.current?.send({ type: 'delete', name })}
        onMessage={setMessage}
        defaultName="auto-mpg"
        cliUse={
          <>
            three files: put them in a folder and run <code>pnpm neurona evaluate FOLDER</code>, or{' '}
            <code>pnpm neurona predict FOLDER cars.csv</code>
          </>
        }
      >
        <label>
          the model trained on the{' '}
          <select
            id="model-loss"
            value={chosen}
            onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value as RegressionLoss)}
          >
            {LOSSES.map((l) => (
              <option key={l} value={l}>
                {NAMES[l]}
              </option>
            ))}
          </select>
        </label>{' '}
      </ModelsSection>
    </main>
  );
}

/** One run's curves: loss and MAE, training and validation, with the stop and the kept epoch marked. */
function HistoryPanel({
  loss,
  points,
  run,
}: {
  loss: RegressionLoss;
  points: { epoch: number; logs: Logs }[];
  run?: MpgRun;
}) {
  const spec = useMemo(() => {
    const options = { metrics: ['loss', 'mae'], width: 220, height: 130, title: NAMES[loss] };
    if (points.length === 0)
      // A hidden stand-in of the same layout, built before training starts.
      return historyChartSpec({ history: { loss: [1], val_loss: [1], mae: [1], val_mae: [1] } }, options);
    const names = Object.keys(points[0]?.logs ?? {});
    const series = Object.fromEntries(names.map((n) => [n, points.map((p) => p.logs[n] ?? Number.NaN)]));
    return historyChartSpec(
      { epoch: points.map((p) => p.epoch - 1), history: series },
      {
        ...options,
        ...(run
          ? {
              marks: [
                { epoch: run.bestEpoch, label: `kept: ${run.bestEpoch}` },
                ...(run.stoppedEarly ? [{ epoch: run.epochsRun, label: `stopped: ${run.epochsRun}` }] : []),
              ],
            }
          : {}),
      },
    );
  }, [points, run]);
  return (
    <VegaChart
      spec={spec}
      placeholder={points.length === 0}
      layout={run ? `marked ${run.epochsRun}` : 'curves'}
      id={`history-${loss === 'meanSquaredError' ? 'mse' : 'mae'}`}
      label={`${NAMES[loss]}: loss and MAE over the epochs`}
    />
  );
}
