import { join, resolve } from 'node:path';
import type { TrainingContext } from '@neurona/core';
import { TerminalProgress, WebGpuDeviceWatch } from '@neurona/core/node';
import type { RecipeDataName, RecipeResult, TrainingSettings } from '@neurona/recipes';
import {
  checkInput,
  ganRecipes,
  getRecipe,
  isGanRecipe,
  isTextRecipe,
  runRecipe,
  settingsFor,
  textRecipes,
} from '@neurona/recipes';
import { loadModel, loadRecipeInput, NSFWJS_MOBILENET_V2 } from '@neurona/recipes/node';
import { historyChartSpec } from '@neurona/viz';
import { countParameters, summary } from '@neurona/zoo';
import type * as tfTypes from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { RUN_JSON, readRunJson, runStatus, SUMMARY_JSON } from './run-folder.js';
import { trainGanCommand } from './train-gan.js';
import { trainTextCommand } from './train-text.js';
import {
  checkpointSaver,
  completeRun,
  explainTrainingFailure,
  logResume,
  openRun,
  refuseOptions,
  relativeOrAbsolute,
  stamp,
  watchSignals,
  writeHistory,
  writeRunJson,
} from './training-session.js';

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
  checkpointEvery?: number;
  resume?: string;
  /** Chapter 13: a UTF-8 text file instead of the recipe's corpus, and the model's shape. */
  text?: string;
  units?: number;
  layers?: number;
  cell?: string;
  seqLength?: number;
  embeddingDim?: number;
  dropout?: number;
  /** Chapter 14: the generator's noise size, the training images used, the images each score is read from, the scoring classifier's folder. */
  latentDim?: number;
  trainImages?: number;
  scoreImages?: number;
  classifier?: string;
}

/** What a run was asked to do (the command's options less where and how it runs): written to run.json, so `--resume` repeats it exactly. */
export type RunRequest = Omit<TrainCommandOptions, 'out' | 'force' | 'backend' | 'resume'> & { recipe: string };

/** The options only the chapter-13 text recipes take. */
export const textOptions = {
  text: '--text',
  units: '--units',
  layers: '--layers',
  cell: '--cell',
  seqLength: '--seq-length',
  embeddingDim: '--embedding-dim',
  dropout: '--dropout',
} as const;

/** The options only the chapter-14 GAN recipes take. */
export const ganOptions = {
  latentDim: '--latent-dim',
  trainImages: '--train-images',
  scoreImages: '--score-images',
  classifier: '--classifier',
} as const;

/** The run's settings can only come from its run.json when it is resumed. */
const fixedOnResume = {
  epochs: '--epochs',
  batchSize: '--batch-size',
  learningRate: '--learning-rate',
  seed: '--seed',
  book: '--book',
  quick: '--quick',
  data: '--data',
  dataDir: '--data-dir',
  pretrained: '--pretrained',
  fineTuneFrom: '--fine-tune-from',
  checkpointEvery: '--checkpoint-every',
  ...textOptions,
  ...ganOptions,
  out: '--out',
  force: '--force',
} as const;

/** Recipes whose data ships with @neurona/datasets or is drawn from the seed: no folder to read. */
const builtInData: readonly string[] = ['fashion-mnist-sample', 'auto-mpg', 'toy2d'];

export async function resumePlace(dir: string, recipeId: string | undefined, options: TrainCommandOptions) {
  const given = (Object.keys(fixedOnResume) as (keyof typeof fixedOnResume)[]).filter(
    (k) => options[k] !== undefined && options[k] !== false,
  );
  if (given.length > 0) {
    throw new Error(
      `--resume goes on with the run's own settings (from ${join(dir, RUN_JSON)}); drop ${given.map((k) => fixedOnResume[k]).join(', ')}`,
    );
  }
  const status = await runStatus(dir);
  if (status.kind === 'absent') throw new Error(`--resume ${dir}: no such folder`);
  if (status.kind === 'complete') {
    throw new Error(`--resume ${dir}: the run is complete (it has ${SUMMARY_JSON}); nothing to resume`);
  }
  const run = await readRunJson(dir);
  const request = run.request as RunRequest | undefined;
  if (run.format !== 'neurona-run' || !request || typeof request.recipe !== 'string') {
    throw new Error(`--resume ${dir}: ${join(dir, RUN_JSON)} is not a neurona run description`);
  }
  if (recipeId !== undefined && recipeId !== request.recipe) {
    throw new Error(
      `--resume ${dir} is a run of '${request.recipe}', not '${recipeId}'; its model and checkpoint are of that recipe: drop the recipe or name '${request.recipe}'`,
    );
  }
  const stage = resolve(dir);
  // A --force run trains in a hidden sibling; once complete it goes where it was asked to.
  const target = /\.partial-[0-9a-f]+$/.test(stage) && typeof run.target === 'string' ? run.target : stage;
  return { request, place: { stage, target }, run };
}

/** What a new run asks for, from the command line. */
export function newRequest(recipeId: string | undefined, options: TrainCommandOptions): RunRequest {
  if (!recipeId) throw new Error('name a recipe to train (see neurona list), or --resume RUN_DIR');
  // commander gives `download: true` unless --no-download: only the choice that differs is recorded.
  const { out: _o, force: _f, backend: _b, resume: _r, download, ...rest } = options;
  return {
    recipe: recipeId,
    ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Omit<RunRequest, 'recipe'>),
    ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}),
    ...(options.text ? { text: resolve(options.text) } : {}),
    ...(options.classifier ? { classifier: resolve(options.classifier) } : {}),
    ...(download === false ? { download: false } : {}),
  };
}

export async function trainCommand(recipeId: string | undefined, options: TrainCommandOptions, log = console.log) {
  const resumed = options.resume ? await resumePlace(options.resume, recipeId, options) : undefined;
  const request = resumed?.request ?? newRequest(recipeId, options);
  if (isTextRecipe(request.recipe)) return trainTextCommand(request, resumed, options, log);
  if (isGanRecipe(request.recipe)) return trainGanCommand(request, resumed, options, log);
  for (const [table, kind, recipes] of [
    [textOptions, 'chapter-13 text', textRecipes],
    [ganOptions, 'chapter-14 GAN', ganRecipes],
  ] as const) {
    refuseOptions(
      request,
      table,
      (pronoun) =>
        `for the ${kind} recipes (${recipes.map((r) => r.id).join(', ')}); '${request.recipe}' does not take ${pronoun}`,
    );
  }
  const recipe = getRecipe(request.recipe);
  const overrides: Partial<TrainingSettings> = {
    ...(request.book ? recipe.book : {}),
    ...Object.fromEntries(
      Object.entries({
        epochs: request.epochs,
        batchSize: request.batchSize,
        learningRate: request.learningRate,
        seed: request.seed,
      }).filter(([, v]) => v !== undefined),
    ),
  };
  if (request.book && request.quick) throw new Error("options '--book' and '--quick' cannot be used together");
  // Everything a user typed is checked before any data is read or model trained.
  const settings = settingsFor(recipe, overrides, { quick: Boolean(request.quick) });
  const dataName = (request.data ?? recipe.data) as RecipeDataName;
  checkInput(recipe, dataName);
  if (request.dataDir && builtInData.includes(dataName)) {
    throw new Error(
      `option '--data-dir' reads a data set from a folder, but '${recipe.id}' runs on '${dataName}', which ${dataName === 'toy2d' ? 'it draws from its seed' : 'ships with @neurona/datasets'}` +
        (recipe.alsoRunsOn?.length
          ? `; for your own copy of ${recipe.alsoRunsOn.join(' or ')}, add --data ${recipe.alsoRunsOn[0]}`
          : ''),
    );
  }
  if (request.pretrained && !recipe.pretrained) {
    throw new Error(`option '--pretrained' is for the transfer-learning recipes; '${recipe.id}' trains from scratch`);
  }
  const usesDefaults =
    !request.book &&
    (Object.keys(recipe.defaults) as (keyof TrainingSettings)[]).every((key) => overrides[key] === undefined);
  const run = await openRun(
    resumed,
    options,
    join('runs', `${recipe.id}-${stamp(new Date())}`),
    log,
    recipe.wasmThreads,
  );
  const { stage, target, report, checkpointsDir, checkpoint, giveUp } = run;
  const pretrainedSpec = request.pretrained ?? (recipe.pretrained === 'required' ? NSFWJS_MOBILENET_V2 : undefined);
  let pretrained: tfTypes.LayersModel | undefined = pretrainedSpec
    ? await loadModel(pretrainedSpec).catch(giveUp)
    : undefined;
  const imageSize = pretrained
    ? ((pretrained.inputs[0] as tfTypes.SymbolicTensor).shape.slice(1, 3) as [number, number])
    : recipe.imageSize;
  let input: Awaited<ReturnType<typeof loadRecipeInput>>;
  try {
    input = await loadRecipeInput(dataName, {
      ...(request.dataDir ? { path: request.dataDir } : {}),
      ...(request.download === false ? { download: false } : {}),
      ...(imageSize?.every((d) => d !== null) ? { imageSize } : {}),
      onWarning: (message) => log(`warning: ${message}`),
    });
  } catch (error) {
    pretrained?.dispose();
    checkpoint?.dispose();
    return giveUp(error);
  }

  log(`${recipe.id}: ${recipe.title}`);
  const from = request.book ? "the book's" : request.quick ? '--quick' : "the recipe's defaults; --book for the book's";
  log(
    `settings (${from}): ${settings.optimizer} lr ${settings.learningRate}, ${settings.epochs} epochs, batch ${settings.batchSize}, seed ${settings.seed}; data ${dataName}` +
      (pretrainedSpec ? `; pretrained ${pretrainedSpec}` : ''),
  );
  if (usesDefaults && !request.quick && recipe.defaultsNote) log(`  ${recipe.defaultsNote}`);
  if (options.resume) logResume(log, run, resumed?.run.backend);
  else await writeRunJson(run, request, settings);

  const interrupt = watchSignals(log);
  const save = checkpointSaver(checkpointsDir, request.checkpointEvery, settings.epochs);
  const every = request.checkpointEvery;

  // A lost GPU device stops training at the next batch, naming the epoch.
  const watch = new WebGpuDeviceWatch();
  // Keras habit: the model summary just before training starts.
  const printSummary = { onTrainBegin: (context: TrainingContext) => log(summary(context.model)) };
  let result: RecipeResult;
  try {
    result = await runRecipe(recipe, input, overrides, {
      quick: Boolean(request.quick),
      callbacks: [printSummary, new TerminalProgress(), watch],
      ...(pretrained ? { pretrained } : {}),
      ...(request.fineTuneFrom ? { fineTuneFrom: request.fineTuneFrom } : {}),
      ...(checkpoint ? { resumeFrom: checkpoint.state } : {}),
      checkpoint: { save, everyEpochs: every ?? 1 },
      signal: interrupt.signal,
    });
  } catch (error) {
    throw await explainTrainingFailure(error, watch, checkpointsDir, stage);
  } finally {
    pretrained = undefined; // the run owns it now
    checkpoint?.dispose();
    interrupt.stop();
  }
  try {
    const { metric, value, bar } = result.score;
    const runSummary = {
      recipe: recipe.id,
      title: recipe.title,
      chapter: recipe.chapter,
      settingsFrom: request.book
        ? 'book'
        : request.quick
          ? 'quick'
          : usesDefaults
            ? 'defaults'
            : 'defaults with overrides',
      settings: result.settings,
      backend: report.backend,
      tfBackend: report.tfBackend,
      data: { name: dataName, ...result.counts },
      ...(result.classNames ? { classNames: result.classNames } : {}),
      ...(pretrainedSpec ? { pretrained: pretrainedSpec } : {}),
      params: countParameters(result.model),
      epochsRun: result.epochsRun,
      ...(checkpoint
        ? { resumedFrom: { epoch: checkpoint.epoch, batch: checkpoint.batch, step: checkpoint.step } }
        : {}),
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
    await writeHistory(stage, result.history, {
      history: historyChartSpec(result.history, { title: `${recipe.id} (${report.backend})` }),
    });
    await result.model.save(`file://${stage}`);
    await completeRun({ stage, target }, runSummary);
    const shown = metric === 'mae' ? `test MAE ${value.toFixed(3)}` : `test accuracy ${value.toFixed(4)}`;
    const onDefaultData = dataName === recipe.data;
    log(
      `${shown}, test loss ${(result.test.loss ?? Number.NaN).toFixed(4)} on ${result.counts.test} examples` +
        (usesDefaults && !request.quick && onDefaultData
          ? ` (expected ${metric === 'mae' ? '<=' : '>='} ${bar} with these settings: ${recipe.expected.note})`
          : ''),
    );
    log(
      (Number.isFinite(result.timing.secondsPerEpoch)
        ? `${report.backend}: ${result.timing.secondsPerEpoch.toFixed(2)} s/epoch, ${Math.round(result.timing.trainSamplesPerSec)} training samples/s, ${result.epochsRun} epochs`
        : `${report.backend}: no epoch left to train (resumed from the final checkpoint), ${result.epochsRun} epochs in all`) +
        (result.timing.featureSeconds !== undefined
          ? `; features extracted in ${result.timing.featureSeconds.toFixed(1)} s`
          : ''),
    );
    log(`run written to ${relativeOrAbsolute(target)}`);
    return runSummary;
  } finally {
    result.dispose();
  }
}
