import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendReport, TrainingContext } from '@neurona/core';
import { registerFileSystem, TerminalProgress, useBackend, useBestBackend } from '@neurona/core/node';
import { loadFashionMnistSample } from '@neurona/datasets/node';
import type { TrainingSettings } from '@neurona/recipes';
import { getRecipe, resolveSettings, runRecipe } from '@neurona/recipes';
import { historyChartSpec } from '@neurona/viz';
import { renderPng, renderSvg } from '@neurona/viz/node';
import { countParameters, summary } from '@neurona/zoo';
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
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export async function trainCommand(recipeId: string, options: TrainCommandOptions, log = console.log) {
  const recipe = getRecipe(recipeId);
  const overrides: Partial<TrainingSettings> = {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    seed: options.seed,
  };
  const settings = resolveSettings(options.book ? recipe.book : recipe.defaults, overrides);
  const usesDefaults = (Object.keys(recipe.defaults) as (keyof TrainingSettings)[]).every(
    (key) => settings[key] === recipe.defaults[key],
  );
  const out = options.out ?? join('runs', `${recipe.id}-${stamp(new Date())}`);
  // Check before any training, so a refused run costs nothing.
  await checkOutFolder(out, Boolean(options.force));

  const report: BackendReport = options.backend ? await useBackend(options.backend) : await useBestBackend();
  registerFileSystem();
  const data = await loadFashionMnistSample();

  log(`${recipe.id}: ${recipe.title}`);
  log(
    `settings (${options.book ? "the book's" : "the recipe's defaults; --book for the book's"}): ` +
      `${settings.optimizer} lr ${settings.learningRate}, ${settings.epochs} epochs, batch ${settings.batchSize}, seed ${settings.seed}`,
  );
  if (!options.book && recipe.defaultsNote) log(`  ${recipe.defaultsNote}`);
  // Keras habit: the model summary just before training starts.
  const printSummary = { onTrainBegin: (context: TrainingContext) => log(summary(context.model)) };
  const result = await runRecipe(recipe, data, settings, { callbacks: [printSummary, new TerminalProgress()] });
  try {
    const testAccuracy = result.test.accuracy ?? Number.NaN;
    const runSummary = {
      recipe: recipe.id,
      title: recipe.title,
      chapter: recipe.chapter,
      settingsFrom: options.book ? 'book' : 'defaults',
      settings: result.settings,
      backend: report.backend,
      tfBackend: report.tfBackend,
      data: { name: recipe.data, ...result.counts },
      params: countParameters(result.model),
      secondsPerEpoch: result.timing.secondsPerEpoch,
      trainSamplesPerSec: result.timing.trainSamplesPerSec,
      totalSeconds: result.timing.totalSeconds,
      testAccuracy,
      testLoss: result.test.loss,
      final: Object.fromEntries(Object.entries(result.history.history).map(([k, v]) => [k, v[v.length - 1]])),
      expected: recipe.expected,
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
    log(
      `test accuracy ${testAccuracy.toFixed(4)}, test loss ${(result.test.loss ?? Number.NaN).toFixed(4)} on ${result.counts.test} images` +
        (usesDefaults ? ` (expected >= ${recipe.expected.testAccuracy} with these settings)` : ''),
    );
    log(
      `${report.backend}: ${result.timing.secondsPerEpoch.toFixed(2)} s/epoch, ${Math.round(result.timing.trainSamplesPerSec)} training samples/s`,
    );
    log(`run written to ${out}`);
    return runSummary;
  } finally {
    result.dispose();
  }
}
