import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebGpuDeviceWatch, writeFileAtomic } from '@neurona/core/node';
import type { GanLogs, SampleScores } from '@neurona/gan';
import { generateImages, latentNoise } from '@neurona/gan';
import { saveGan } from '@neurona/gan/node';
import type { GanDataName, GanRecipeResult, GanSettings } from '@neurona/recipes';
import { GAN_DATA, ganCounts, ganSettingsFor, getGanRecipe, runGanRecipe } from '@neurona/recipes';
import { loadGanData, scoringClassifierFor } from '@neurona/recipes/node';
import { historyChartSpec } from '@neurona/viz';
import { animatedGif, imageGridPng } from '@neurona/viz/node';
import { countParameters, summary } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import type { RunRequest, resumePlace, TrainCommandOptions } from './train.js';
import { textOptions } from './train.js';
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

/** Options of other recipes that a GAN recipe does not take. */
const notForGans = {
  pretrained: '--pretrained',
  fineTuneFrom: '--fine-tune-from',
  ...textOptions,
} as const;

/** The fixed noise the per-epoch grids are drawn from: the same 64 images improving epoch by epoch. */
const GRID_COUNT = 64;
const GRID_COLUMNS = 8;
export const GRIDS = 'grids';

/** Images in [−1, 1] as bytes for an image grid. */
export async function gridImages(images: tf.Tensor4D) {
  const [count, height, width, channels] = images.shape;
  const bytes = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255), 'int32'));
  const data = Uint8Array.from(await bytes.data());
  bytes.dispose();
  const size = height * width * channels;
  return Array.from({ length: count }, (_, i) => ({
    data: data.subarray(i * size, (i + 1) * size),
    height,
    width,
    channels,
  }));
}

/** Writes the generator's images for `noise` as a grid PNG, atomically. */
export async function writeGrid(path: string, generator: tf.LayersModel, noise: tf.Tensor2D, columns = GRID_COLUMNS) {
  const images = generateImages(generator, noise);
  try {
    await writeFileAtomic(path, await imageGridPng(await gridImages(images), { columns }));
  } finally {
    images.dispose();
  }
}

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const scoreLine = (s: Pick<SampleScores, 'frechetDistance' | 'classifierScore' | 'classSpread'>) =>
  `Fréchet distance ${f(s.frechetDistance)}, classifier score ${f(s.classifierScore)}, class spread ${f(s.classSpread)} nats`;

/**
 * `neurona train ch14-…`: the book's DCGAN trained by the hand-written loop on Fashion-MNIST or
 * MNIST, with the run folder, checkpoints, Ctrl-C and `--resume` of every other recipe; a grid
 * of 64 images from fixed noise every epoch (grids/epoch-NNN.png) and an animated GIF of them
 * at the end; the sample scores (floor, untrained, each epoch) in history.json, the plots and
 * summary.json; both networks saved for `neurona generate images`.
 */
export async function trainGanCommand(
  request: RunRequest,
  resumed: Awaited<ReturnType<typeof resumePlace>> | undefined,
  options: TrainCommandOptions,
  log: (line: string) => void,
) {
  const recipe = getGanRecipe(request.recipe);
  refuseOptions(
    request,
    notForGans,
    () =>
      `not for '${recipe.id}', which trains a GAN on ${recipe.data} (a folder of its files: --data-dir DIR; another data set: --data ${GAN_DATA.join(' | ')})`,
  );
  const overrides: Partial<GanSettings> = Object.fromEntries(
    Object.entries({
      epochs: request.epochs,
      batchSize: request.batchSize,
      learningRate: request.learningRate,
      seed: request.seed,
      latentDim: request.latentDim,
      trainImages: request.trainImages,
      scoreImages: request.scoreImages,
    }).filter(([, v]) => v !== undefined),
  );
  // Everything typed is checked before any data is read or network built.
  const settings = ganSettingsFor(recipe, overrides, { quick: Boolean(request.quick), book: Boolean(request.book) });
  const usesDefaults = !request.book && !request.quick && Object.keys(overrides).length === 0;
  // The data is read before a run folder is made: missing files leave nothing behind.
  const { data, name: dataName } = await loadGanData(recipe, {
    ...(request.data ? { data: request.data as GanDataName } : {}),
    ...(request.dataDir ? { path: request.dataDir } : {}),
    ...(request.download === false ? { download: false } : {}),
    onWarning: (message) => log(`warning: ${message}`),
  });
  // A cut, batch or score count the data cannot give is refused before a run folder is made.
  ganCounts(recipe, settings, overrides, data);
  const run = await openRun(resumed, options, join('runs', `${recipe.id}-${stamp(new Date())}`), log);
  const { stage, target, report, checkpointsDir, checkpoint, giveUp } = run;
  const interrupt = watchSignals(log);
  const classifier = await scoringClassifierFor(dataName, data, {
    ...(request.classifier ? { dir: request.classifier } : {}),
    log,
    signal: interrupt.signal,
  }).catch((error) => {
    interrupt.stop();
    checkpoint?.dispose();
    return giveUp(error);
  });

  log(`${recipe.id}: ${recipe.title}`);
  const from = request.book ? "the book's" : request.quick ? '--quick' : "the recipe's defaults; --book for the book's";
  log(
    `settings (${from}): ${settings.epochs} epochs, batch ${settings.batchSize}, Adam lr ${settings.learningRate} β1 ${settings.beta1}, latent ${settings.latentDim}, seed ${settings.seed}; ` +
      `${settings.trainImages === 0 ? 'all' : settings.trainImages.toLocaleString('en-US')} training images of ${dataName}; scores from ${settings.scoreImages.toLocaleString('en-US')} images`,
  );
  if (usesDefaults && recipe.defaultsNote) log(`  ${recipe.defaultsNote}`);
  log(
    `scoring classifier: ${relativeOrAbsolute(classifier.dir)} (test accuracy ${f(classifier.info.testAccuracy, 4)}); its Dense(128) features give the Fréchet distance`,
  );
  if (options.resume) logResume(log, run, resumed?.run.backend);
  else await writeRunJson(run, request, settings);

  await mkdir(join(stage, GRIDS), { recursive: true });
  const gridNoise = latentNoise(GRID_COUNT, settings.latentDim, settings.seed + 1);
  const save = checkpointSaver(checkpointsDir, request.checkpointEvery, settings.epochs);
  const started = performance.now();
  let epochStarted = performance.now();
  let result: GanRecipeResult | undefined;
  let networks: { generator: tf.LayersModel; discriminator: tf.LayersModel } | undefined;
  const watch = new WebGpuDeviceWatch();
  const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r${text}\x1b[K`) : undefined;
  try {
    result = await runGanRecipe(recipe, data, classifier.model, overrides, {
      quick: Boolean(request.quick),
      book: Boolean(request.book),
      callbacks: {
        onBatchEnd: (batch: number, logs: GanLogs) => {
          watch.onBatchEnd();
          progress?.(
            `  batch ${batch + 1}: d_loss ${f(logs.d_loss, 4)} g_loss ${f(logs.g_loss, 4)} d_accuracy ${f(logs.d_accuracy, 3)}`,
          );
        },
        onEpochEnd: async (epoch: number, logs: GanLogs) => {
          watch.onEpochEnd();
          watch.onEpochBegin(epoch + 1);
          progress?.('');
          const seconds = (performance.now() - epochStarted) / 1000;
          const grid = join(GRIDS, `epoch-${String(epoch + 1).padStart(3, '0')}.png`);
          // The networks are built (onNetworks) before the first step.
          await writeGrid(join(stage, grid), (networks as { generator: tf.LayersModel }).generator, gridNoise);
          log(
            `epoch ${epoch + 1}/${settings.epochs}: d_loss ${f(logs.d_loss, 4)}, g_loss ${f(logs.g_loss, 4)}, d_accuracy ${f(logs.d_accuracy, 3)}; ` +
              `${scoreLine({ frechetDistance: logs.frechet_distance as number, classifierScore: logs.classifier_score as number, classSpread: logs.class_spread as number })}; ${f(seconds, 1)} s; ${grid}`,
          );
          epochStarted = performance.now();
        },
      },
      onNetworks: (built) => {
        networks = built;
        log(summary(built.generator));
        log(summary(built.discriminator));
      },
      onBaselines: (baselines) => {
        log(`real training images against real test images (the floor): ${scoreLine(baselines.floor)}`);
        log(`untrained generator (the ceiling): ${scoreLine(baselines.untrained)}`);
        epochStarted = performance.now();
      },
      onWarning: (message) => log(`warning: ${message}`),
      ...(checkpoint ? { resumeFrom: checkpoint.state } : {}),
      checkpoint: { save, everyEpochs: request.checkpointEvery ?? 1, extra: { recipe: recipe.id, settings } },
      signal: interrupt.signal,
    });
  } catch (error) {
    throw await explainTrainingFailure(error, watch, checkpointsDir, stage);
  } finally {
    checkpoint?.dispose();
    interrupt.stop();
    classifier.model.dispose();
  }
  try {
    const { baselines, final, timing, history } = result;
    const grids = (await readdir(join(stage, GRIDS))).filter((n) => /^epoch-\d+\.png$/.test(n)).sort();
    const frames = await Promise.all(grids.map((n) => readFile(join(stage, GRIDS, n))));
    const gif = frames.length > 0 ? await animatedGif(frames.map((b) => new Uint8Array(b))) : undefined;
    const runSummary = {
      recipe: recipe.id,
      title: recipe.title,
      chapter: recipe.chapter,
      kind: 'gan',
      settingsFrom: request.book
        ? 'book'
        : request.quick
          ? 'quick'
          : usesDefaults
            ? 'defaults'
            : 'defaults with overrides',
      settings,
      backend: report.backend,
      tfBackend: report.tfBackend,
      data: { name: dataName, train: result.counts.train, test: data.test.count, scored: result.counts.scored },
      params: { generator: countParameters(result.generator), discriminator: countParameters(result.discriminator) },
      epochsRun: result.epochsRun,
      steps: result.steps,
      ...(checkpoint
        ? { resumedFrom: { epoch: checkpoint.epoch, batch: checkpoint.batch, step: checkpoint.step } }
        : {}),
      classifier: { dir: classifier.dir, testAccuracy: classifier.info.testAccuracy, data: classifier.info.data },
      baselines,
      final,
      distanceRatio: result.score.distanceRatio,
      expected: { ...recipe.expected, passed: result.score.passed },
      trainImagesPerSec: timing.imagesPerSecond,
      trainSeconds: timing.seconds,
      totalSeconds: (performance.now() - started) / 1000,
      files: {
        grids: grids.map((n) => join(GRIDS, n)),
        animation: gif ? 'grids.gif' : undefined,
        samples: 'samples.png',
      },
      final_logs: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]])),
      createdAt: new Date().toISOString(),
      runtime: { node: process.version, tfjs: tf.version.tfjs, platform: `${process.platform}-${process.arch}` },
    };
    await writeHistory(stage, history, {
      history: historyChartSpec(history, {
        title: `${recipe.id} (${report.backend}): losses`,
        metrics: ['d_loss', 'g_loss', 'd_accuracy'],
      }),
      scores: historyChartSpec(history, {
        title: `${recipe.id}: sample scores (${result.counts.scored} images)`,
        metrics: ['frechet_distance', 'classifier_score', 'class_spread'],
      }),
    });
    await saveGan(stage, result, { recipe: recipe.id, epochs: result.epochsRun, data: dataName });
    await writeGrid(join(stage, 'samples.png'), result.generator, gridNoise);
    if (gif) await writeFileAtomic(join(stage, 'grids.gif'), gif);
    await completeRun({ stage, target }, runSummary);
    log(
      `after ${result.epochsRun} epochs: ${scoreLine(final)}; the distance is ${f(100 * result.score.distanceRatio, 1)}% of the untrained generator's (${f(baselines.untrained.frechetDistance)}), the floor is ${f(baselines.floor.frechetDistance)}` +
        (usesDefaults ? ` (expected: ${recipe.expected.note}: ${result.score.passed ? 'met' : 'not met'})` : ''),
    );
    log(
      Number.isFinite(timing.imagesPerSecond)
        ? `${report.backend}: ${f(timing.imagesPerSecond, 1)} images/s through the full step (both networks), ${f(timing.seconds / Math.max(1, result.epochsRun - (checkpoint?.epoch ?? 0)), 1)} s/epoch of training`
        : `${report.backend}: no epoch left to train (resumed from the final checkpoint), ${result.epochsRun} epochs in all`,
    );
    log(
      `run written to ${relativeOrAbsolute(target)} (samples.png, grids.gif); more images: neurona generate images --model ${relativeOrAbsolute(target)} --out grid.png`,
    );
    return runSummary;
  } finally {
    result.dispose();
    gridNoise.dispose();
  }
}
