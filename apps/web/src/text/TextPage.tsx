import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { historyChartSpec } from '@neurona/viz';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import { type BackendChoice, backendChoices, isBackendChoice } from '../shell/backends.js';
import { downloadExport } from '../shell/download.js';
import type { EngineClient } from '../shell/engine-client.js';
import { SavedModels } from '../shell/ModelsSection.js';
import type { SavedModel } from '../shell/model-store.js';
import { Message, Notes } from '../shell/Notes.js';
import { StopResume } from '../shell/StopResume.js';
import { allowedNumbers, inRange, type NumberRange, readNumber, writeSettings } from '../shell/url-settings.js';
import { VegaChart } from '../shell/VegaChart.js';
import { connectText } from './client.js';
import type { CharModelFiles, Generation, TextEvent, TextModel, TextRequest, TextTraining } from './engine.js';

/** The page's settings, all in its URL (except your own text, which stays in the page). */
interface Settings extends Omit<TextTraining, 'text'>, Generation {
  backend: BackendChoice;
  worker: boolean;
}

const DEFAULTS: Settings = {
  source: 'moby-dick',
  characters: 100_000,
  epochs: 2,
  units: 128,
  cell: 'gru',
  prompt: 'Call me ',
  length: 400,
  temperature: 0.8,
  topK: 0,
  seed: 1,
  backend: 'auto',
  worker: true,
};

type NumberSetting = 'characters' | 'epochs' | 'units' | 'length' | 'temperature' | 'topK' | 'seed';
const RANGES: Record<NumberSetting, NumberRange> = {
  characters: { min: 1_000, max: 1_200_000 },
  epochs: { min: 1, max: 50 },
  units: { min: 8, max: 1024 },
  length: { min: 1, max: 5_000 },
  temperature: { min: 0.05, max: 3, integer: false },
  topK: { min: 0, max: 200 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

/** The settings a URL asks for, and a note for each value the page could not take (its default is used). */
export function readTextSettings(search: string): { settings: Settings; notes: string[] } {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  const settings: Settings = { ...DEFAULTS };
  for (const [name, range] of Object.entries(RANGES) as [NumberSetting, NumberRange][])
    settings[name] = readNumber(params, name, range, String(DEFAULTS[name]), notes) ?? DEFAULTS[name];
  const choice = <T extends string>(name: 'source' | 'cell' | 'backend', allowed: readonly T[]) => {
    const raw = params.get(name);
    if (raw === null) return;
    if ((allowed as readonly string[]).includes(raw)) (settings as unknown as Record<string, string>)[name] = raw;
    else notes.push(`${name} '${raw}' is unknown; using ${DEFAULTS[name]} (allowed: ${allowed.join(', ')})`);
  };
  choice('source', ['moby-dick', 'own']);
  choice('cell', ['gru', 'lstm']);
  choice('backend', backendChoices);
  const prompt = params.get('prompt');
  if (prompt !== null && prompt !== '') settings.prompt = prompt;
  settings.worker = params.get('worker') !== '0';
  if (!isBackendChoice(settings.backend)) settings.backend = 'auto';
  return { settings, notes };
}

type Phase = 'idle' | 'training' | 'stopped' | 'ready' | 'writing' | 'error';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface TextView {
  phase: Phase;
  backend: string;
  report: string;
  where: string;
  epochs: { epoch: number; logs: Logs }[];
  model?: TextModel;
  /** The text written so far, and the number of messages it came in (characters stream). */
  written: string;
  chunks: number;
  generated?: { prompt: string; dropped: number; charactersPerSecond: number };
  /** How many generations have finished: wait for it to move after asking for one. */
  generations: number;
  saved: SavedModel[];
}

declare global {
  interface Window {
    textPage?: TextView;
  }
}

/**
 * `/text`: book ch. 13. A character-level GRU or LSTM trained in the page on Moby Dick or a text
 * you paste or drop, or a model `neurona train ch13-…` wrote; then text written with it, character
 * by character, with a temperature, top-k and a seed.
 */
export function TextPage() {
  const initial = useMemo(() => readTextSettings(location.search), []);
  const [settings, setSettings] = useState(initial.settings);
  const [ownText, setOwnText] = useState('');
  const [report, setReport] = useState<BackendReport>();
  const [phase, setPhase] = useState<Phase>('idle');
  const [saved, setSaved] = useState<SavedModel[]>([]);
  const [status, setStatus] = useState('no model yet: train one, or import a run of neurona train ch13-…');
  const [message, setMessage] = useState('');
  const [rows, setRows] = useState<{ epoch: number; logs: Logs }[]>([]);
  const [progress, setProgress] = useState({ done: 0, total: 1, text: '' });
  const [model, setModel] = useState<TextModel>();
  const [written, setWritten] = useState({ text: '', chunks: 0 });
  const [generated, setGenerated] = useState<TextView['generated']>();
  const [generations, setGenerations] = useState(0);
  const client = useRef<EngineClient<TextRequest> | undefined>(undefined);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  // onEvent is the first render's closure (the worker is connected once): it reads the model here.
  const modelRef = useRef(model);
  modelRef.current = model;

  const generate = () => {
    const s = settingsRef.current;
    setWritten({ text: '', chunks: 0 });
    setGenerated(undefined);
    setMessage('');
    setPhase('writing');
    client.current?.send({
      type: 'generate',
      generation: { prompt: s.prompt, length: s.length, temperature: s.temperature, topK: s.topK, seed: s.seed },
    });
  };

  const onEvent = (event: TextEvent) => {
    switch (event.type) {
      case 'backend':
        setReport(event.report);
        return;
      case 'status':
        setStatus(event.text);
        return;
      case 'begin':
        setRows([]);
        setModel(undefined);
        setPhase('training');
        return;
      case 'progress':
        setProgress({
          done: event.epoch * event.batches + event.batch,
          total: event.epochs * event.batches,
          text: `epoch ${event.epoch + 1} of ${event.epochs}, batch ${event.batch} of ${event.batches} · loss ${(event.logs.loss ?? Number.NaN).toFixed(3)}`,
        });
        return;
      case 'epoch':
        setRows((r) => [...r.filter((x) => x.epoch !== event.epoch), { epoch: event.epoch, logs: event.logs }]);
        return;
      case 'stopped':
        setPhase('stopped');
        setStatus(
          `stopped at epoch ${event.epoch + 1}, batch ${event.batch}: Resume goes on from there, Train starts over`,
        );
        return;
      case 'ready':
        setModel(event.model);
        setPhase('ready');
        setStatus(`ready: a ${event.model.cell.toUpperCase()} of ${event.model.units} units, ${event.model.from}`);
        generate();
        return;
      case 'text':
        setWritten((w) => ({ text: w.text + event.chunk, chunks: w.chunks + 1 }));
        return;
      case 'generated':
        setGenerated({ prompt: event.prompt, dropped: event.dropped, charactersPerSecond: event.charactersPerSecond });
        setGenerations((n) => n + 1);
        setPhase('ready');
        return;
      case 'saved':
        setSaved(event.models);
        return;
      case 'exported':
        setMessage(downloadExport(event.files, 'generate text --model FOLDER'));
        return;
      case 'error':
        setPhase(
          event.during === 'train' ? 'error' : modelRef.current || event.during === 'generate' ? 'ready' : 'idle',
        );
        setMessage(`${event.during}: ${event.message}`);
        return;
    }
  };

  useEffect(() => {
    writeSettings(initial.settings, DEFAULTS);
    let alive = true;
    void connectText(initial.settings.worker, (e) => alive && onEvent(e)).then((c) => {
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
    window.textPage = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      where: client.current?.where ?? '',
      epochs: rows,
      ...(model ? { model } : {}),
      written: written.text,
      chunks: written.chunks,
      ...(generated ? { generated } : {}),
      generations,
      saved,
    };
  }, [phase, report, rows, model, written, generated, generations, saved]);

  const change = (patch: Partial<Settings>) => {
    const next = { ...settingsRef.current, ...patch };
    setSettings(next);
    settingsRef.current = next;
    writeSettings(next, DEFAULTS);
  };
  const numberInput = (name: NumberSetting, label: string, step = 1) => (
    <label>
      {label}{' '}
      <input
        id={name}
        type="number"
        min={RANGES[name].min}
        max={RANGES[name].max}
        step={step}
        value={settings[name]}
        onChange={(e) => {
          const n = Number((e.currentTarget as HTMLInputElement).value);
          if (inRange(n, RANGES[name])) change({ [name]: n });
          else setMessage(`${name} ${n} is not allowed: ${allowedNumbers(RANGES[name])}`);
        }}
      />
    </label>
  );

  const train = () => {
    setMessage('');
    client.current?.send({ type: 'stop' });
    const { backend, worker: _w, prompt: _p, length: _l, temperature: _t, topK: _k, seed: _s, ...training } = settings;
    client.current?.send({
      type: 'train',
      training: { ...training, ...(training.source === 'own' ? { text: ownText } : {}) },
      backend,
    });
  };

  const historySpec = useMemo(() => {
    const options = { metrics: ['loss'], width: 260, height: 140, splits: ['training', 'validation'] as const };
    if (rows.length === 0) return historyChartSpec({ history: { loss: [1], val_loss: [1] } }, options);
    return historyChartSpec(
      {
        epoch: rows.map((r) => r.epoch - 1),
        history: {
          loss: rows.map((r) => r.logs.loss ?? Number.NaN),
          val_loss: rows.map((r) => r.logs.val_loss ?? Number.NaN),
        },
      },
      options,
    );
  }, [rows]);

  const importFiles = async (files: File[]) => {
    setMessage('');
    try {
      const parsed = await Promise.all(
        files
          .filter((f) => f.name.endsWith('.json'))
          .map(async (f) => ({ f, json: JSON.parse(await f.text()) as Record<string, unknown> })),
      ).catch((error: Error) => {
        throw new Error(`a .json file is not JSON (${error.message})`);
      });
      const modelFile = parsed.find((p) => p.json.modelTopology !== undefined);
      if (!modelFile)
        throw new Error(
          `none of ${files.map((f) => f.name).join(', ')} is a model file; choose model.json, weights.bin and vocabulary.json of a neurona train ch13-… run`,
        );
      const vocabulary = parsed.find((p) => p.json.kind === 'CharVocabulary');
      if (!vocabulary) throw new Error(`${modelFile.f.name} came without its vocabulary.json: choose it too`);
      const bins = files.filter((f) => !f.name.endsWith('.json'));
      if (bins.length === 0) throw new Error(`${modelFile.f.name} came without its weights.bin: choose it too`);
      const buffers = await Promise.all(bins.map((b) => b.arrayBuffer()));
      const weights = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
      let offset = 0;
      for (const b of buffers) {
        weights.set(new Uint8Array(b), offset);
        offset += b.byteLength;
      }
      const payload: CharModelFiles = {
        file: modelFile.f.name,
        json: modelFile.json as CharModelFiles['json'],
        weights: weights.buffer,
        vocabulary: vocabulary.json,
      };
      client.current?.send({ type: 'import', files: payload, backend: settings.backend });
    } catch (error) {
      setMessage(`import: ${(error as Error).message}`);
    }
  };

  return (
    <main class="text-page">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapter 13
      </p>
      <h1>A recurrent network that writes text</h1>
      <p class="lead">
        A character-level GRU or LSTM (book 13.3) learns which character comes next. Then it writes one character at a
        time, each drawn from what it predicts. It is trained here, in your browser, or imported from{' '}
        <code>neurona train ch13-moby-dick</code>.
      </p>
      <Notes notes={initial.notes} />
      <BackendPanel
        report={report}
        choice={settings.backend}
        onChoose={(backend) => change({ backend })}
        where={client.current?.where}
      />

      <section>
        <h2>1. The text</h2>
        <p class="controls">
          <label>
            <input
              type="radio"
              name="source"
              id="source-moby-dick"
              checked={settings.source === 'moby-dick'}
              onChange={() => change({ source: 'moby-dick' })}
            />{' '}
            Moby Dick (Project Gutenberg, 1.2 M characters)
          </label>
          <label>
            <input
              type="radio"
              name="source"
              id="source-own"
              checked={settings.source === 'own'}
              onChange={() => change({ source: 'own' })}
            />{' '}
            your own text
          </label>
          {numberInput('characters', 'first', 1000)} characters
        </p>
        {settings.source === 'own' && (
          <textarea
            id="own-text"
            rows={6}
            placeholder="Paste a text here, or drop a .txt file on this box"
            value={ownText}
            onInput={(e) => setOwnText((e.currentTarget as HTMLTextAreaElement).value)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={async (e) => {
              e.preventDefault();
              const file = e.dataTransfer?.files[0];
              if (file) setOwnText(await file.text());
            }}
          />
        )}
      </section>

      <section>
        <h2>2. The model</h2>
        <p class="controls">
          <label>
            cell{' '}
            <select
              id="cell"
              value={settings.cell}
              onChange={(e) => change({ cell: (e.currentTarget as HTMLSelectElement).value as Settings['cell'] })}
            >
              <option value="gru">GRU</option>
              <option value="lstm">LSTM</option>
            </select>
          </label>
          {numberInput('units', 'units')}
          {numberInput('epochs', 'epochs')}
          <button type="button" id="train" onClick={train}>
            Train
          </button>
          <StopResume
            phase={phase}
            onStop={() => client.current?.send({ type: 'stop' })}
            onResume={() => {
              setPhase('training');
              client.current?.send({ type: 'resume' });
            }}
            onMessage={setMessage}
          />
          <label class="import">
            or import a run (<code>model.json</code>, <code>weights.bin</code>, <code>vocabulary.json</code>){' '}
            <input
              id="import"
              type="file"
              multiple
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                const files = [...(input.files ?? [])];
                input.value = '';
                void importFiles(files);
              }}
            />
          </label>
        </p>
        <progress id="progress" value={progress.done} max={progress.total} />{' '}
        <span id="progress-text">{progress.text}</span>
        <p>
          Status: <span id="status">{status}</span>
        </p>
        <Message text={message} />
        <VegaChart spec={historySpec} placeholder={rows.length === 0} id="history-chart" label="loss over the epochs" />
        {model?.validationLoss !== undefined && (
          <p id="figures">
            Validation loss <strong>{model.validationLoss.toFixed(3)}</strong> nats per character, against{' '}
            {model.unigramEntropy?.toFixed(3)} for guessing from the characters' frequencies alone and{' '}
            {model.untrainedLoss?.toFixed(3)} before training; {model.vocabulary} characters in its vocabulary;{' '}
            {Math.round(model.trainCharactersPerSecond ?? 0).toLocaleString('en')} training characters a second.
          </p>
        )}
      </section>

      <section>
        <h2>3. Writing</h2>
        <p class="controls">
          <label>
            prompt{' '}
            <input
              id="prompt"
              value={settings.prompt}
              onChange={(e) => change({ prompt: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          {numberInput('length', 'characters')}
          <label>
            temperature{' '}
            <input
              id="temperature"
              type="range"
              min={0.1}
              max={2}
              step={0.05}
              value={settings.temperature}
              onInput={(e) => change({ temperature: Number((e.currentTarget as HTMLInputElement).value) })}
            />{' '}
            <span id="temperature-value">{settings.temperature.toFixed(2)}</span>
          </label>
          {numberInput('topK', 'top-k (0: all)')}
          {numberInput('seed', 'seed')}
          <button
            type="button"
            id="generate"
            disabled={!model || phase === 'writing' || phase === 'training'}
            onClick={generate}
          >
            Write
          </button>
          <button type="button" id="export" disabled={!model} onClick={() => client.current?.send({ type: 'export' })}>
            Export for the CLI
          </button>
        </p>
        <SavedModels
          hasModel={Boolean(model)}
          saved={saved}
          onSave={(name) => client.current?.send({ type: 'save', name })}
          onLoad={(name) => client.current?.send({ type: 'open', name, backend: settings.backend })}
          onDelete={(name) => client.current?.send({ type: 'delete', name })}
          defaultName="moby-dick"
        />
        <pre id="generated" class="generated">
          <span class="prompt">{generated?.prompt ?? (phase === 'writing' ? settings.prompt : '')}</span>
          {written.text}
        </pre>
        {generated && (
          <p class="hint" id="generated-figures">
            {Math.round(generated.charactersPerSecond)} characters a second
            {generated.dropped > 0 ? `; ${generated.dropped} prompt characters not in the vocabulary were skipped` : ''}
            .
          </p>
        )}
      </section>
    </main>
  );
}
