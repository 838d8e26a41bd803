import type { BackendReport } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import type { BackendChoice } from '../shell/backends.js';
import type { EngineClient } from '../shell/engine-client.js';
import { Notes } from '../shell/Notes.js';
import { readBackend } from '../shell/url-settings.js';
import { catalogue } from './catalogue.js';
import { connectModels } from './client.js';
import type { ModelDescription, ModelsEvent, ModelsRequest } from './engine.js';
import { Graph } from './Graph.js';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface ModelsView {
  phase: 'building' | 'done' | 'error';
  backend: string;
  report: string;
  model?: Omit<ModelDescription, 'graph'> & { layers: number; edges: number };
}

declare global {
  interface Window {
    models?: ModelsView;
  }
}

const groups = [...new Set(catalogue.map((c) => c.group))];

/**
 * `/models`: book ch. 12. The named networks (VGG16/19, ResNet50, MobileNet), the functional API's
 * examples and the book's own networks, each built here by the zoo package: Keras's summary and
 * the graph of its layers.
 */
export function ModelsPage() {
  const params = new URLSearchParams(location.search);
  const asked = params.get('model') ?? 'residual-block';
  const [notes] = useState<string[]>(() =>
    catalogue.some((c) => c.name === asked)
      ? []
      : [
          `model '${asked}' is not one of this page's; showing residual-block (known: ${catalogue.map((c) => c.name).join(', ')})`,
        ],
  );
  const [name, setName] = useState(catalogue.some((c) => c.name === asked) ? asked : 'residual-block');
  const [backend, setBackend] = useState<BackendChoice>(() => readBackend(params, notes));
  const [report, setReport] = useState<BackendReport>();
  const [model, setModel] = useState<ModelDescription>();
  const [phase, setPhase] = useState<ModelsView['phase']>('building');
  const [message, setMessage] = useState('');
  const client = useRef<EngineClient<ModelsRequest> | undefined>(undefined);

  const onEvent = (event: ModelsEvent) => {
    if (event.type === 'backend') setReport(event.report);
    else if (event.type === 'described') {
      setModel(event.model);
      setPhase('done');
    } else {
      setMessage(event.message);
      setPhase('error');
    }
  };

  const show = (next: string, nextBackend = backend) => {
    setName(next);
    setBackend(nextBackend);
    setPhase('building');
    setMessage('');
    const query = new URLSearchParams({ model: next, ...(nextBackend === 'auto' ? {} : { backend: nextBackend }) });
    history.replaceState(null, '', `${location.pathname}?${query}`);
    client.current?.send({ type: 'describe', name: next, backend: nextBackend });
  };

  useEffect(() => {
    let alive = true;
    void connectModels((e) => alive && onEvent(e)).then((c) => {
      client.current = c;
      show(name);
    });
    return () => {
      alive = false;
      client.current?.close();
    };
  }, []);

  useEffect(() => {
    document.body.dataset.state = phase;
    const { graph, ...rest } = model ?? { graph: [] };
    window.models = {
      phase,
      backend: report?.backend ?? '',
      report: report ? formatBackendReport(report) : '',
      ...(model
        ? {
            model: {
              ...(rest as Omit<ModelDescription, 'graph'>),
              layers: graph.length,
              edges: graph.reduce((n, l) => n + l.inputs.length, 0),
            },
          }
        : {}),
    };
  }, [phase, report, model]);

  const entry = catalogue.find((c) => c.name === name);
  return (
    <main class="models-page">
      <p class="crumbs">
        <a href="/">Neurona</a> · chapter 12
      </p>
      <h1>Named networks and the functional API</h1>
      <p class="lead">
        Each model is built here, in your browser, by <code>@neurona/zoo</code> with the layers and shapes Keras gives
        it: its summary as Keras prints it, and its graph of layers.
      </p>
      <Notes notes={notes} />
      <BackendPanel report={report} choice={backend} onChoose={(b) => show(name, b)} where="a Web Worker" />
      <nav class="model-list" aria-label="models">
        {groups.map((group) => (
          <div key={group}>
            <h2>{group}</h2>
            {catalogue
              .filter((c) => c.group === group)
              .map((c) => (
                <button
                  key={c.name}
                  type="button"
                  data-model={c.name}
                  aria-pressed={c.name === name}
                  title={c.description}
                  onClick={() => show(c.name)}
                >
                  {c.name}
                </button>
              ))}
          </div>
        ))}
      </nav>
      <p id="status">
        {phase === 'building'
          ? `building ${name} (${entry?.parameters} parameters)…`
          : phase === 'error'
            ? `error: ${message}`
            : model &&
              `${model.name} ('${model.modelName}'): ${entry?.description}; ${model.graph.length} layers, ${model.parameters.total.toLocaleString('en')} parameters, built in ${model.seconds.toFixed(2)} s`}
      </p>
      {model && (
        <div class="model-view">
          <pre id="summary">{model.summary}</pre>
          <div class="graph-scroll">
            <Graph nodes={model.graph} />
          </div>
        </div>
      )}
    </main>
  );
}
