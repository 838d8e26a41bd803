import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logs } from '@neurona/core';
import { evaluate } from '@neurona/core';
import { registerFileSystem, useBackend, useBestBackend, writeFileAtomic } from '@neurona/core/node';
import type { Recipe, RecipeDataName } from '@neurona/recipes';
import {
  checkInput,
  featureMatrix,
  getRecipe,
  lossFor,
  playgroundData,
  playgroundNetworkOf,
  prepareRecipeData,
  readPlaygroundMetadata,
} from '@neurona/recipes';
import { loadModel, loadRecipeInput } from '@neurona/recipes/node';
import { confusionMatrix, confusionMatrixSpec, formatConfusionMatrix } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';
import { convBase, extractFeatures } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { type RunSummary, readCompleteRun, refuseGenerativeRun, SUMMARY_JSON } from './run-folder.js';

export interface EvaluateOptions {
  data?: string;
  dataDir?: string;
  download?: boolean;
  backend?: string;
}

/** Loads a run's model (and, for feature extraction, the base its inputs go through): the caller frees both. */
export async function loadRunModel(dir: string, summary: RunSummary, recipe: Recipe) {
  registerFileSystem();
  const model = await loadModel(dir);
  const pretrained = recipe.featureExtraction && summary.pretrained ? await loadModel(summary.pretrained) : undefined;
  const base = pretrained ? convBase(pretrained) : undefined;
  const dispose = () => {
    model.dispose();
    pretrained?.dispose(); // the base's layers are the pretrained model's
  };
  return { model, base, dispose };
}

/** Class indexes of a batch of outputs: argmax of a softmax, or p >= 0.5 of a sigmoid. */
export function predictedClasses(outputs: tf.Tensor): Int32Array {
  return tf.tidy(
    () =>
      (outputs.shape[1] === 1
        ? tf.cast(tf.greaterEqual(outputs, 0.5), 'int32').reshape([-1])
        : tf.argMax(outputs, 1)
      ).dataSync() as Int32Array,
  );
}

/** What `reportTestFigures` scores and where it writes. */
interface TestPart {
  model: tf.LayersModel;
  x: tf.Tensor;
  y: tf.Tensor;
  task: Recipe['task'];
  classNames?: readonly string[];
  /** Names the model and data in the first line and the chart title: `ch07-deep on the toy2d test part`. */
  title: string;
  /** Where a written file goes: `place('evaluation', '.json')`, `place('confusion-matrix', '.png')`. */
  place: (name: 'evaluation' | 'confusion-matrix', extension: string) => string;
  /** Fields the evaluation JSON starts with (run, recipe, data, …). */
  record: Record<string, unknown>;
  backend: string;
}

/**
 * The test figures of a model (Keras's `evaluate`), the confusion matrix as a table, PNG and SVG for
 * a classifier, and each class's accuracy; printed, and written next to the model.
 */
async function reportTestFigures(part: TestPart, log: (line: string) => void) {
  const { model, x, y, task } = part;
  const { loss, metrics } = lossFor[task];
  model.compile({ optimizer: 'sgd', loss, metrics });
  const figures: Logs = await evaluate(model, x, y, { batchSize: 500 });
  const result: Record<string, unknown> = { ...part.record, examples: x.shape[0], backend: part.backend, ...figures };
  log(
    `${part.title} (${x.shape[0]} examples, ${part.backend}): ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(', ')}`,
  );
  const { place } = part;
  const written = [place('evaluation', '.json')];
  if (task !== 'regression') {
    const outputs = tf.tidy(() => model.predict(x, { batchSize: 500 }) as tf.Tensor);
    const predicted = predictedClasses(outputs);
    outputs.dispose();
    const truth = predictedClasses(y);
    const names = [...(part.classNames ?? Array.from({ length: Math.max(2, y.shape[1] ?? 2) }, (_, i) => String(i)))];
    const matrix = confusionMatrix(truth, predicted, names);
    log(`\nconfusion matrix (rows: true class, columns: predicted)\n${formatConfusionMatrix(matrix)}`);
    const spec = confusionMatrixSpec(matrix, { title: part.title });
    const [svg, png] = await Promise.all([renderSvg(spec), renderPng(spec)]);
    await writeFileAtomic(place('confusion-matrix', '.svg'), svg);
    await writeFileAtomic(place('confusion-matrix', '.png'), png);
    written.push(place('confusion-matrix', '.png'), '.svg');
    Object.assign(result, {
      classNames: matrix.classNames,
      confusionMatrix: matrix.counts,
      perClassAccuracy: Object.fromEntries(matrix.classNames.map((n, i) => [n, matrix.perClassAccuracy[i]])),
    });
  }
  await writeFileAtomic(place('evaluation', '.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`\nwritten: ${written.join(', ').replace(', .svg', ' and .svg')}`);
  return result;
}

/**
 * A model the Playground page exported: a `.json` file (or a folder without a run summary holding
 * `model.json`) whose metadata carries the page's settings. Undefined for anything else.
 */
async function playgroundExport(path: string) {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  let json = path;
  if (info.isDirectory()) {
    if (existsSync(join(path, SUMMARY_JSON))) return undefined;
    json = join(path, 'model.json');
  } else if (!path.endsWith('.json')) {
    throw new Error(
      `${path}: neurona evaluate takes a run folder, or the .json file of a model the Playground page exported`,
    );
  }
  let parsed: { modelTopology?: unknown; userDefinedMetadata?: unknown };
  try {
    parsed = JSON.parse(await readFile(json, 'utf8'));
  } catch (error) {
    if (info.isDirectory() && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${json} is not a TensorFlow.js model file: ${(error as Error).message}`);
  }
  if (!parsed.modelTopology) throw new Error(`${json} is not a TensorFlow.js model file: it has no modelTopology`);
  const carried = readPlaygroundMetadata(parsed.userDefinedMetadata);
  if (!carried) {
    throw new Error(
      `${json} is a TensorFlow.js model without the Playground's settings in its metadata: neurona evaluate takes a run folder, or a model the Playground page exported`,
    );
  }
  return { json, ...carried };
}

/**
 * `neurona evaluate FILE.json` for a Playground model: its test points drawn again from the
 * settings it carries (the same seed, the same points as the page's), scored as a run's.
 */
async function evaluatePlaygroundExport(
  found: NonNullable<Awaited<ReturnType<typeof playgroundExport>>>,
  options: EvaluateOptions,
  log: (line: string) => void,
) {
  const { json, settings, changes, epoch } = found;
  for (const change of changes) log(`warning: ${json}: ${change}`);
  const report = options.backend ? await useBackend(options.backend) : await useBestBackend();
  registerFileSystem();
  const model = await loadModel(json);
  const { test } = playgroundData(settings);
  const k = settings.features.length;
  const x = tf.tensor2d(featureMatrix(test.points, settings.features), [test.count, k]);
  const y = tf.tensor2d(test.labels, [test.count, 1]);
  try {
    playgroundNetworkOf(model, json);
    const classify = settings.problem === 'classification';
    return await reportTestFigures(
      {
        model,
        x,
        y,
        task: classify ? 'binary' : 'regression',
        ...(classify ? { classNames: ['0', '1'] } : {}),
        title: `Playground model ${basename(json)} (epoch ${epoch}) on the ${settings.dataset} test points`,
        // model.json → model-evaluation.json, model-confusion-matrix.png beside it.
        place: (name, extension) => join(dirname(json), `${basename(json, '.json')}-${name}${extension}`),
        record: { model: json, playground: settings, epoch, data: settings.dataset },
        backend: report.backend,
      },
      log,
    );
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

/**
 * `neurona evaluate RUN_DIR`: the run's test figures on its test part (prepared again from its
 * seed: the same split and scaling as training), the confusion matrix as a table and as
 * PNG/SVG, and each class's accuracy; written to `evaluation*.json` in the run folder. Also takes
 * the `.json` of a model the Playground page exported, and scores it on its test points.
 */
export async function evaluateCommand(dir: string, options: EvaluateOptions, log = console.log) {
  const playground = await playgroundExport(dir);
  if (playground) return evaluatePlaygroundExport(playground, options, log);
  const { summary, run } = await readCompleteRun(dir);
  refuseGenerativeRun(dir, summary, 'evaluate');
  const recipe = getRecipe(summary.recipe);
  const request = (run?.request ?? {}) as { quick?: boolean; dataDir?: string };
  const dataName = (options.data ?? summary.data.name) as RecipeDataName;
  checkInput(recipe, dataName);
  const quick = request.quick ?? summary.settingsFrom === 'quick';
  const report = options.backend ? await useBackend(options.backend) : await useBestBackend();
  const loaded = await loadRunModel(dir, summary, recipe);
  const made: tf.Tensor[] = [];
  try {
    const shape = (loaded.base ?? loaded.model).inputs[0]?.shape ?? [];
    const dataDir = options.dataDir ?? (dataName === summary.data.name ? request.dataDir : undefined);
    const input = await loadRecipeInput(dataName, {
      ...(dataDir ? { path: dataDir } : {}),
      ...(options.download === false ? { download: false } : {}),
      ...(shape.length === 4 && shape[1] && shape[2] ? { imageSize: [shape[1], shape[2]] as [number, number] } : {}),
      onWarning: (message) => log(`warning: ${message}`),
    });
    const prepared = prepareRecipeData(recipe, input, summary.settings as Recipe['defaults'], { quick });
    made.push(...prepared.train, ...(prepared.validation ?? []), ...prepared.test);
    let [x, y] = prepared.test;
    if (loaded.base) {
      x = await extractFeatures(loaded.base, x);
      made.push(x);
    }
    const suffix = dataName === summary.data.name ? '' : `-${dataName}`;
    return await reportTestFigures(
      {
        model: loaded.model,
        x,
        y,
        task: recipe.task,
        ...(prepared.classNames ? { classNames: prepared.classNames } : {}),
        title: `${recipe.id} on the ${dataName} test part`,
        // evaluation-DATA.json and confusion-matrix-DATA.png for another data set.
        place: (name, extension) => join(dir, `${name}${suffix}${extension}`),
        record: { run: dir, recipe: recipe.id, data: dataName },
        backend: report.backend,
      },
      log,
    );
  } finally {
    tf.dispose(made);
    loaded.dispose();
  }
}
