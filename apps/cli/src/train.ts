import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendReport, TrainingContext } from '@neurona/core';
import { registerFileSystem, TerminalProgress, useBackend, useBestBackend } from '@neurona/core/node';
import type { RecipeDataName, TrainingSettings } from '@neurona/recipes';
import { checkInput, getRecipe, runRecipe, settingsFor } from '@neurona/recipes';
import { loadModel, loadRecipeInput, NSFWJS_MOBILENET_V2 } from '@neurona/recipes/node';
import { historyChartSpec } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';
import { countParameters, summary } from '@neurona/zoo';
import type * as tfTypes from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { checkOutFolder, writeRunFolder } from './run-folder.js';

export interface TrainCommandOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  backend?: string;
  out?: string;
  force?: boolean;
  book?: boolean;
  quick?: boolean;
  data?: string;
  dataDir?: string;
  download?: boolean;
  pretrained?: string;
  fineTuneFrom?: string;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export async function trainCommand(recipeId: string, options: TrainCommandOptions, log = console.log) {
  const recipe = getRecipe(recipeId);
  const overrides: Partial<TrainingSettings> = {
    ...(options.book ? recipe.book : {}),
    ...Object.fromEntries(
      Object.entries({
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        seed: options.seed,
      }).filter(([, v]) => v !== undefined),
    ),
  };
  if (options.book && options.quick) throw new Error("options '--book' and '--quick' cannot be used together");
  // Everything a user typed is checked before any data is read or model trained.
  const settings = settingsFor(recipe, overrides, { quick: Boolean(options.quick) });
  const dataName = (options.data ?? recipe.data) as RecipeDataName;
  checkInput(recipe, dataName);
  if (options.pretrained && !recipe.pretrained) {
    throw new Error(`option '--pretrained' is for the transfer-learning recipes; '${recipe.id}' trains from scratch`);
  }
  const usesDefaults =
    !options.book &&
    (Object.keys(recipe.defaults) as (keyof TrainingSettings)[]).every((key) => overrides[key] === undefined);
  const out = options.out ?? join('runs', `${recipe.id}-${stamp(new Date())}`);
  await checkOutFolder(out, Boolean(options.force));

  const report: BackendReport = options.backend ? await useBackend(options.backend) : await useBestBackend();
  registerFileSystem();
  const pretrainedSpec = options.pretrained ?? (recipe.pretrained === 'required' ? NSFWJS_MOBILENET_V2 : undefined);
  let pretrained: tfTypes.LayersModel | undefined = pretrainedSpec ? await loadModel(pretrainedSpec) : undefined;
  const imageSize = pretrained
    ? ((pretrained.inputs[0] as tfTypes.SymbolicTensor).shape.slice(1, 3) as [number, number])
    : recipe.imageSize;
  let input: Awaited<ReturnType<typeof loadRecipeInput>>;
  try {
    input = await loadRecipeInput(dataName, {
      ...(options.dataDir ? { path: options.dataDir } : {}),
      ...(options.download === false ? { download: false } : {}),
      ...(imageSize?.every((d) => d !== null) ? { imageSize } : {}),
    });
  } catch (error) {
    pretrained?.dispose();
    throw error;
  }

  log(`${recipe.id}: ${recipe.title}`);
  const from = options.book ? "the book's" : options.quick ? '--quick' : "the recipe's defaults; --book for the book's";
  log(
    `settings (${from}): ${settings.optimizer} lr ${settings.learningRate}, ${settings.epochs} epochs, batch ${settings.batchSize}, seed ${settings.seed}; data ${dataName}` +
      (pretrainedSpec ? `; pretrained ${pretrainedSpec}` : ''),
  );
  if (usesDefaults && !options.quick && recipe.defaultsNote) log(`  ${recipe.defaultsNote}`);
  // Keras habit: the model summary just before training starts.
  const printSummary = { onTrainBegin: (context: TrainingContext) => log(summary(context.model)) };
  const result = await runRecipe(recipe, input, overrides, {
    quick: Boolean(options.quick),
    callbacks: [printSummary, new TerminalProgress()],
    ...(pretrained ? { pretrained } : {}),
    ...(options.fineTuneFrom ? { fineTuneFrom: options.fineTuneFrom } : {}),
  });
  pretrained = undefined; // the run owns it now
  try {
    const { metric, value, bar } = result.score;
    const runSummary = {
      recipe: recipe.id,
      title: recipe.title,
      chapter: recipe.chapter,
      settingsFrom: options.book
        ? 'book'
        : options.quick
          ? 'quick'
          : usesDefaults
            ? 'defaults'
            : 'defaults with overrides',
      settings: result.settings,
      backend: report.backend,
      tfBackend: report.tfBackend,
      data: { name: dataName, ...result.counts },
      ...(pretrainedSpec ? { pretrained: pretrainedSpec } : {}),
      params: countParameters(result.model),
      epochsRun: result.epochsRun,
      secondsPerEpoch: result.timing.secondsPerEpoch,
      trainSamplesPerSec: result.timing.trainSamplesPerSec,
      ...(result.timing.featureSeconds !== undefined ? { featureSeconds: result.timing.featureSeconds } : {}),
      totalSeconds: result.timing.totalSeconds,
      test: result.test,
      ...(metric === 'accuracy' ? { testAccuracy: value } : { testMae: value }),
      testLoss: result.test.loss,
      final: Object.fromEntries(Object.entries(result.history.history).map(([k, v]) => [k, v[v.length - 1]])),
      expected: recipe.expected,
      ...(result.preprocessing ? { preprocessing: result.preprocessing } : {}),
      createdAt: new Date().toISOString(),
      runtime: { node: process.version, tfjs: tf.version.tfjs, platform: `${process.platform}-${process.arch}` },
    };
    const spec = historyChartSpec(result.history, { title: `${recipe.id} (${report.backend})` });
    const [svg, png] = await Promise.all([renderSvg(spec), renderPng(spec)]);
    await writeRunFolder(out, async (dir) => {
      await result.model.save(`file://${dir}`);
      await writeFile(join(dir, 'history.json'), `${JSON.stringify(result.history, null, 2)}\n`);
      await writeFile(join(dir, 'history.svg'), svg);
      await writeFile(join(dir, 'history.png'), png);
      await writeFile(join(dir, 'summary.json'), `${JSON.stringify(runSummary, null, 2)}\n`);
    });
    const shown = metric === 'mae' ? `test MAE ${value.toFixed(3)}` : `test accuracy ${value.toFixed(4)}`;
    const onDefaultData = dataName === recipe.data;
    log(
      `${shown}, test loss ${(result.test.loss ?? Number.NaN).toFixed(4)} on ${result.counts.test} examples` +
        (usesDefaults && !options.quick && onDefaultData
          ? ` (expected ${metric === 'mae' ? '<=' : '>='} ${bar} with these settings: ${recipe.expected.note})`
          : ''),
    );
    log(
      `${report.backend}: ${result.timing.secondsPerEpoch.toFixed(2)} s/epoch, ${Math.round(result.timing.trainSamplesPerSec)} training samples/s, ${result.epochsRun} epochs` +
        (result.timing.featureSeconds !== undefined
          ? `; features extracted in ${result.timing.featureSeconds.toFixed(1)} s`
          : ''),
    );
    log(`run written to ${out}`);
    return runSummary;
  } finally {
    result.dispose();
  }
}
