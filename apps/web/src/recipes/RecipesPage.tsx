import type { BackendReport, Logs } from '@neurona/core';
import { formatBackendReport } from '@neurona/core';
import { fetchFashionMnistSample } from '@neurona/datasets';
import type { RecipeInput } from '@neurona/recipes';
import { getRecipe, recipes, runRecipe } from '@neurona/recipes';
import { useEffect, useState } from 'preact/hooks';
import { BackendPanel } from '../shell/BackendPanel.js';
import { type BackendChoice, chooseBackend, isBackendChoice } from '../shell/backends.js';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface RecipePageResult {
  recipe: string;
  backend: string;
  report: string;
  losses: number[];
  valAccuracy: number[];
  testAccuracy: number;
  secondsPerEpoch: number;
}

declare global {
  interface Window {
    neurona?: RecipePageResult;
  }
}

/** Recipes whose data the page has: the bundled Fashion-MNIST sample, or drawn in the page. */
export const inPageRecipes = recipes
  .filter((r) => r.data === 'fashion-mnist-sample' || r.data === 'toy2d')
  .map((r) => r.id);

const numberParam = (params: URLSearchParams, name: string) => {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`URL parameter '${name}' is '${raw}'; allowed: an integer >= 1`);
  return n;
};

interface Row {
  epoch: number;
  logs: Logs;
  seconds: number;
}

/**
 * `/recipes?recipe=ch05-dense&epochs=5`: a recipe whose data the browser has, trained in the page
 * with `runRecipe`, epoch by epoch in a table.
 */
export function RecipesPage() {
  const params = new URLSearchParams(location.search);
  const wanted = params.get('backend');
  const choice: BackendChoice = isBackendChoice(wanted) ? wanted : 'auto';
  const [title, setTitle] = useState('A recipe trained in the page');
  const [report, setReport] = useState<BackendReport>();
  const [status, setStatus] = useState('loading the data…');
  const [rows, setRows] = useState<Row[]>([]);
  const [result, setResult] = useState('');

  useEffect(() => {
    const run = async () => {
      const recipeId = params.get('recipe') ?? 'ch05-dense';
      if (!inPageRecipes.includes(recipeId)) {
        throw new Error(`URL parameter 'recipe' is '${recipeId}'; allowed here: ${inPageRecipes.join(', ')}`);
      }
      const recipe = getRecipe(recipeId);
      setTitle(recipe.title);
      const epochs = numberParam(params, 'epochs');
      const trainLimit = numberParam(params, 'trainLimit');
      if (wanted !== null && !isBackendChoice(wanted)) {
        throw new Error(`URL parameter 'backend' is '${wanted}'; allowed: auto, webgpu, webgl, wasm, cpu`);
      }
      const chosen = await chooseBackend(choice);
      setReport(chosen);
      let input: RecipeInput = { kind: 'generated', name: 'toy2d' };
      if (recipe.data === 'fashion-mnist-sample') {
        const data = await fetchFashionMnistSample({ baseUrl: `${import.meta.env.BASE_URL}fashion-mnist-sample/` });
        input = { kind: 'images', name: 'fashion-mnist-sample', data };
      }
      setStatus('training…');
      document.body.dataset.state = 'training';
      let started = 0;
      const done = await runRecipe(recipe, input, epochs ? { epochs } : {}, {
        callbacks: [
          {
            onEpochBegin: () => {
              started = performance.now();
            },
            onEpochEnd: (epoch: number, logs: Logs) => {
              const seconds = (performance.now() - started) / 1000;
              setRows((r) => [...r, { epoch: epoch + 1, logs: { ...logs }, seconds }]);
              setStatus(`training: epoch ${epoch + 1} done`);
            },
          },
        ],
        ...(trainLimit ? { trainLimit } : {}),
      });
      const testAccuracy = done.test.accuracy ?? Number.NaN;
      done.dispose();
      setResult(
        `${recipe.id}: test accuracy ${testAccuracy.toFixed(4)} on ${done.counts.test} held-out examples; ${done.timing.secondsPerEpoch.toFixed(2)} s per epoch on ${chosen.backend}.`,
      );
      setStatus('done');
      window.neurona = {
        recipe: recipe.id,
        backend: chosen.backend,
        report: formatBackendReport(chosen),
        losses: done.history.history.loss ?? [],
        valAccuracy: done.history.history.val_accuracy ?? [],
        testAccuracy,
        secondsPerEpoch: done.timing.secondsPerEpoch,
      };
      document.body.dataset.state = 'done';
    };
    run().catch((error: unknown) => {
      console.error(error);
      setStatus(`error: ${error instanceof Error ? error.message : String(error)}`);
      document.body.dataset.state = 'error';
    });
  }, []);

  const choose = (next: BackendChoice) => {
    params.set('backend', next);
    location.search = params.toString();
  };

  return (
    <main class="recipes">
      <h1 id="title">{title}</h1>
      <p>
        Trained in this page with <code>@neurona/recipes</code>, on the bundled Fashion-MNIST sample or the TensorFlow
        Playground's 2-D data. <code>?recipe=</code> picks the experiment (ch05-dense by default; also{' '}
        {inPageRecipes.filter((r) => r !== 'ch05-dense').join(', ')}), <code>?epochs=</code> and <code>?backend=</code>{' '}
        change the run.
      </p>
      <BackendPanel report={report} choice={choice} onChoose={choose} where="the page" />
      <p>
        Status: <span id="status">{status}</span>
      </p>
      <table id="epochs">
        <thead>
          <tr>
            <th>epoch</th>
            <th>loss</th>
            <th>accuracy</th>
            <th>val_loss</th>
            <th>val_accuracy</th>
            <th>seconds</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.epoch}>
              <td>{row.epoch}</td>
              {['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((k) => (
                <td key={k}>{(row.logs[k] ?? Number.NaN).toFixed(4)}</td>
              ))}
              <td>{row.seconds.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id="result">{result}</p>
    </main>
  );
}
