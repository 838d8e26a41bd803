import { join } from 'node:path';
import type { TrainingContext } from '@neurona/core';
import { TerminalProgress, WebGpuDeviceWatch, writeFileAtomic } from '@neurona/core/node';
import type { TextRecipeResult, TextSettings } from '@neurona/recipes';
import { getTextRecipe, runTextRecipe, textSettingsFor } from '@neurona/recipes';
import { loadRecipeText } from '@neurona/recipes/node';
import { CharGenerator } from '@neurona/text-rnn';
import { saveCharModel } from '@neurona/text-rnn/node';
import { historyChartSpec } from '@neurona/viz';
import { countParameters, summary } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import type { RunRequest, resumePlace, TrainCommandOptions } from './train.js';
import { ganOptions } from './train.js';
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

/** Options of the image recipes that a text recipe does not take. */
const imageOnly = {
  data: '--data',
  dataDir: '--data-dir',
  pretrained: '--pretrained',
  fineTuneFrom: '--fine-tune-from',
  ...ganOptions,
} as const;

/** Characters of generated text a run writes to sample.txt when it ends. */
const SAMPLE_LENGTH = 400;

/**
 * `neurona train ch13-…`: trains a character model on the recipe's corpus or `--text FILE`,
 * with the run folder, checkpoints, Ctrl-C and `--resume` of every other recipe; writes the
 * model, its vocabulary, the loss curves, a sample of generated text and summary.json.
 */
export async function trainTextCommand(
  request: RunRequest,
  resumed: Awaited<ReturnType<typeof resumePlace>> | undefined,
  options: TrainCommandOptions,
  log: (line: string) => void,
) {
  const recipe = getTextRecipe(request.recipe);
  refuseOptions(
    request,
    imageOnly,
    () => `for the image and GAN recipes; '${recipe.id}' trains on text: give your own with --text FILE`,
  );
  const overrides: Partial<TextSettings> = Object.fromEntries(
    Object.entries({
      epochs: request.epochs,
      batchSize: request.batchSize,
      learningRate: request.learningRate,
      seed: request.seed,
      units: request.units,
      layers: request.layers,
      cell: request.cell,
      sequenceLength: request.seqLength,
      embeddingDim: request.embeddingDim,
      dropout: request.dropout,
    }).filter(([, v]) => v !== undefined),
  );
  // Everything typed is checked before any text is read or model built.
  const settings = textSettingsFor(recipe, overrides, { quick: Boolean(request.quick), book: Boolean(request.book) });
  const usesDefaults = !request.book && Object.keys(overrides).length === 0;
  // The text is read before a run folder is made: a missing or binary file leaves nothing behind.
  const { text, source } = await loadRecipeText(recipe, {
    ...(request.text ? { textFile: request.text } : {}),
    ...(request.download === false ? { download: false } : {}),
    onWarning: (message) => log(`warning: ${message}`),
  });
  const run = await openRun(resumed, options, join('runs', `${recipe.id}-${stamp(new Date())}`), log);
  const { stage, target, report, checkpointsDir, checkpoint } = run;

  log(`${recipe.id}: ${recipe.title}`);
  const from = request.book ? "the book's" : request.quick ? '--quick' : "the recipe's defaults; --book for the book's";
  log(
    `settings (${from}): ${settings.cell.toUpperCase()} ${settings.units} × ${settings.layers}, ${settings.encoding === 'embedding' ? `Embedding ${settings.embeddingDim}` : 'one-hot input'}` +
      `${settings.dropout > 0 ? `, dropout ${settings.dropout}` : ''}; Adam lr ${settings.learningRate}, ${settings.epochs} epochs, batch ${settings.batchSize}, windows of ${settings.sequenceLength}, seed ${settings.seed}; text ${source}`,
  );
  if (usesDefaults && !request.quick && recipe.defaultsNote) log(`  ${recipe.defaultsNote}`);
  if (options.resume) logResume(log, run, resumed?.run.backend);
  else await writeRunJson(run, request, settings);

  const interrupt = watchSignals(log);
  const save = checkpointSaver(checkpointsDir, request.checkpointEvery, settings.epochs);
  const watch = new WebGpuDeviceWatch();
  const printSummary = { onTrainBegin: (context: TrainingContext) => log(summary(context.model)) };
  let result: TextRecipeResult;
  try {
    result = await runTextRecipe(recipe, text, overrides, {
      quick: Boolean(request.quick),
      book: Boolean(request.book),
      source,
      callbacks: [printSummary, new TerminalProgress(), watch],
      ...(checkpoint ? { resumeFrom: checkpoint.state } : {}),
      checkpoint: { save, everyEpochs: request.checkpointEvery ?? 1 },
      signal: interrupt.signal,
    });
  } catch (error) {
    throw await explainTrainingFailure(error, watch, checkpointsDir, stage);
  } finally {
    checkpoint?.dispose();
    interrupt.stop();
  }
  try {
    const { baselines, score, timing } = result;
    const generator = CharGenerator.fromModel(result.model, result.vocabulary);
    let sample: Awaited<ReturnType<CharGenerator['generate']>>;
    try {
      sample = await generator.generate({
        prompt: recipe.prompt,
        length: SAMPLE_LENGTH,
        temperature: 0.8,
        seed: settings.seed,
        dropUnknown: true,
      });
    } finally {
      generator.dispose();
    }
    const below = 1 - score.validationLoss / baselines.unigramEntropy;
    const runSummary = {
      recipe: recipe.id,
      title: recipe.title,
      chapter: recipe.chapter,
      kind: 'text',
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
      data: {
        name: source,
        characters: result.characters,
        train: result.counts.trainCharacters,
        validation: result.counts.validationCharacters,
        vocabulary: result.counts.vocabulary,
      },
      params: countParameters(result.model),
      epochsRun: result.epochsRun,
      ...(checkpoint
        ? { resumedFrom: { epoch: checkpoint.epoch, batch: checkpoint.batch, step: checkpoint.step } }
        : {}),
      validationLoss: score.validationLoss,
      validationBitsPerCharacter: score.validationLoss / Math.LN2,
      baselines,
      belowUnigram: below,
      expected: { ...recipe.expected, bar: score.bar, passed: score.passed },
      trainCharactersPerSec: timing.trainCharactersPerSecond,
      trainSeconds: timing.seconds,
      sample: {
        prompt: sample.prompt,
        temperature: 0.8,
        seed: settings.seed,
        charactersPerSec: sample.charactersPerSecond,
      },
      final: Object.fromEntries(Object.entries(result.history.history).map(([k, v]) => [k, v[v.length - 1]])),
      createdAt: new Date().toISOString(),
      runtime: { node: process.version, tfjs: tf.version.tfjs, platform: `${process.platform}-${process.arch}` },
    };
    await writeHistory(stage, result.history, {
      history: historyChartSpec(result.history, {
        title: `${recipe.id} (${report.backend}), nats per character`,
        metrics: ['loss'],
      }),
    });
    await saveCharModel(stage, result.model, result.vocabulary);
    await writeFileAtomic(join(stage, 'sample.txt'), `${sample.prompt}${sample.text}\n`);
    await completeRun({ stage, target }, runSummary);
    log(
      `validation loss ${score.validationLoss.toFixed(4)} nats/character (${(score.validationLoss / Math.LN2).toFixed(3)} bits) on ${result.counts.validationCharacters.toLocaleString('en-US')} held-out characters; ` +
        `unigram entropy ${baselines.unigramEntropy.toFixed(4)}, untrained model ${baselines.untrainedModel.toFixed(4)}: ${(100 * Math.abs(below)).toFixed(1)}% ${below >= 0 ? 'below' : 'above'} the unigram entropy` +
        (usesDefaults && !request.quick && !request.text ? ` (expected: ${recipe.expected.note})` : ''),
    );
    log(
      Number.isFinite(timing.trainCharactersPerSecond)
        ? `${report.backend}: ${Math.round(timing.trainCharactersPerSecond).toLocaleString('en-US')} training characters/s, ${(timing.seconds / Math.max(1, result.epochsRun - (checkpoint?.epoch ?? 0))).toFixed(1)} s/epoch, ${result.epochsRun} epochs`
        : `${report.backend}: no epoch left to train (resumed from the final checkpoint), ${result.epochsRun} epochs in all`,
    );
    log(
      `sample (temperature 0.8, ${Math.round(sample.charactersPerSecond)} characters/s):\n${sample.prompt}${sample.text}`,
    );
    log(
      `run written to ${relativeOrAbsolute(target)}; more text: neurona generate text --model ${relativeOrAbsolute(target)} --seed "${recipe.prompt}"`,
    );
    return runSummary;
  } finally {
    result.dispose();
  }
}
