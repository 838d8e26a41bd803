// TensorFlow.js itself, once for the app: the CPU and WebGL backends, the gradients and the tensor
// methods (the libraries' peers are tfjs-core and tfjs-layers; this package brings them).
import '@tensorflow/tfjs';
import type { BackendReport, Logs, TrainingCallback } from '@neurona/core';
import { formatBackendReport, useBestBrowserBackend, useBrowserBackend } from '@neurona/core';
import { fetchFashionMnistSample } from '@neurona/datasets';
import type { RecipeInput } from '@neurona/recipes';
import { getRecipe, recipes, runRecipe } from '@neurona/recipes';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** What the page exposes for its end-to-end test and for anyone curious in the console. */
export interface PageResult {
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
    neurona?: PageResult;
  }
}

const $ = (id: string) => document.getElementById(id) as HTMLElement;

const params = new URLSearchParams(location.search);
const numberParam = (name: string) => {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`URL parameter '${name}' is '${raw}'; allowed: an integer >= 1`);
  return n;
};

const backendOptions = {
  loaders: {
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  },
  // Vite fingerprints the .wasm files; tell the WASM backend where they went.
  beforeWasm: (module: unknown) =>
    (module as typeof import('@tensorflow/tfjs-backend-wasm')).setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    }),
  log: (line: string) => console.info(line),
};

class EpochTable implements TrainingCallback {
  private started = 0;
  onEpochBegin() {
    this.started = performance.now();
  }
  onEpochEnd(epoch: number, logs: Logs) {
    const row = document.createElement('tr');
    const cells = [
      String(epoch + 1),
      ...['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((k) => (logs[k] ?? Number.NaN).toFixed(4)),
    ];
    cells.push(((performance.now() - this.started) / 1000).toFixed(2));
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    $('epochs').querySelector('tbody')?.append(row);
    $('status').textContent = `training: epoch ${epoch + 1} done`;
  }
}

/** Recipes whose data the page has: the bundled Fashion-MNIST sample, or drawn in the page. */
const inPage = recipes.filter((r) => r.data === 'fashion-mnist-sample' || r.data === 'toy2d').map((r) => r.id);

async function main() {
  const recipeId = params.get('recipe') ?? 'ch05-dense';
  if (!inPage.includes(recipeId)) {
    throw new Error(`URL parameter 'recipe' is '${recipeId}'; allowed here: ${inPage.join(', ')}`);
  }
  const recipe = getRecipe(recipeId);
  $('title').textContent = recipe.title;
  const epochs = numberParam('epochs');
  const trainLimit = numberParam('trainLimit');
  const wanted = params.get('backend');
  const report: BackendReport = wanted
    ? await useBrowserBackend(wanted, backendOptions)
    : await useBestBrowserBackend(backendOptions);
  $('backend').textContent = formatBackendReport(report).replace('neurona: using the ', '');
  let input: RecipeInput = { kind: 'generated', name: 'toy2d' };
  if (recipe.data === 'fashion-mnist-sample') {
    const data = await fetchFashionMnistSample({ baseUrl: `${import.meta.env.BASE_URL}fashion-mnist-sample/` });
    input = { kind: 'images', name: 'fashion-mnist-sample', data };
  }
  $('status').textContent = 'training…';
  document.body.dataset.state = 'training';
  const result = await runRecipe(recipe, input, epochs ? { epochs } : {}, {
    callbacks: [new EpochTable()],
    ...(trainLimit ? { trainLimit } : {}),
  });
  const testAccuracy = result.test.accuracy ?? Number.NaN;
  result.dispose();
  $('result').textContent =
    `${recipe.id}: test accuracy ${testAccuracy.toFixed(4)} on ${result.counts.test} held-out examples; ${result.timing.secondsPerEpoch.toFixed(2)} s per epoch on ${report.backend}.`;
  $('status').textContent = 'done';
  window.neurona = {
    recipe: recipe.id,
    backend: report.backend,
    report: formatBackendReport(report),
    losses: result.history.history.loss ?? [],
    valAccuracy: result.history.history.val_accuracy ?? [],
    testAccuracy,
    secondsPerEpoch: result.timing.secondsPerEpoch,
  };
  document.body.dataset.state = 'done';
}

main().catch((error: unknown) => {
  console.error(error);
  $('status').textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.state = 'error';
});
