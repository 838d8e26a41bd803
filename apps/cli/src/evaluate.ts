import { join } from 'node:path';
import type { Logs } from '@neurona/core';
import { evaluate } from '@neurona/core';
import { registerFileSystem, useBackend, useBestBackend, writeFileAtomic } from '@neurona/core/node';
import type { Recipe, RecipeDataName } from '@neurona/recipes';
import { checkInput, getRecipe, lossFor, prepareRecipeData } from '@neurona/recipes';
import { loadModel, loadRecipeInput } from '@neurona/recipes/node';
import { confusionMatrix, confusionMatrixSpec, formatConfusionMatrix } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';
import { convBase, extractFeatures } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { type RunSummary, readCompleteRun, refuseGenerativeRun } from './run-folder.js';

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

/**
 * `neurona evaluate RUN_DIR`: the run's test figures on its test part (prepared again from its
 * seed: the same split and scaling as training), the confusion matrix as a table and as
 * PNG/SVG, and each class's accuracy; written to `evaluation*.json` in the run folder.
 */
export async function evaluateCommand(dir: string, options: EvaluateOptions, log = console.log) {
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
    const { loss, metrics } = lossFor[recipe.task];
    loaded.model.compile({ optimizer: 'sgd', loss, metrics });
    const figures: Logs = await evaluate(loaded.model, x, y, { batchSize: 500 });
    const suffix = dataName === summary.data.name ? '' : `-${dataName}`;
    const result: Record<string, unknown> = {
      run: dir,
      recipe: recipe.id,
      data: dataName,
      examples: x.shape[0],
      backend: report.backend,
      ...figures,
    };
    log(
      `${recipe.id} on the ${dataName} test part (${x.shape[0]} examples, ${report.backend}): ${Object.entries(figures)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ')}`,
    );
    if (recipe.task !== 'regression') {
      const outputs = tf.tidy(() => loaded.model.predict(x as tf.Tensor) as tf.Tensor);
      made.push(outputs);
      const predicted = predictedClasses(outputs);
      const truth = predictedClasses(y);
      const names = [
        ...(prepared.classNames ?? Array.from({ length: Math.max(2, y.shape[1] ?? 2) }, (_, i) => String(i))),
      ];
      const matrix = confusionMatrix(truth, predicted, names);
      log(`\nconfusion matrix (rows: true class, columns: predicted)\n${formatConfusionMatrix(matrix)}`);
      const spec = confusionMatrixSpec(matrix, { title: `${recipe.id}: ${dataName} test part` });
      const [svg, png] = await Promise.all([renderSvg(spec), renderPng(spec)]);
      await writeFileAtomic(join(dir, `confusion-matrix${suffix}.svg`), svg);
      await writeFileAtomic(join(dir, `confusion-matrix${suffix}.png`), png);
      Object.assign(result, {
        classNames: matrix.classNames,
        confusionMatrix: matrix.counts,
        perClassAccuracy: Object.fromEntries(matrix.classNames.map((n, i) => [n, matrix.perClassAccuracy[i]])),
      });
    }
    const file = join(dir, `evaluation${suffix}.json`);
    await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nwritten: ${file}${recipe.task !== 'regression' ? `, confusion-matrix${suffix}.png and .svg` : ''}`);
    return result;
  } finally {
    tf.dispose(made);
    loaded.dispose();
  }
}
