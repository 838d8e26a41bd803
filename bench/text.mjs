// `pnpm bench:text`: the chapter-13 character model measured, not assumed. Prints tables
// (Markdown) and writes JSON:
//   1. training throughput (characters/s) per Node backend and cell, beside PyTorch (one
//      thread, Debian's python3-torch) training the same model on the same batch and windows;
//   2. book 13.2: one-hot input against an Embedding (ch13-one-hot / ch13-embedding);
//   3. the default training on Moby Dick (ch13-moby-dick): validation loss per epoch in nats
//      per character beside the unigram entropy and the untrained model, then PyTorch
//      training the same model on the same ids for the same wall time;
//   4. generation: characters/s of the one-step generator, of a stateful batch-1 copy through
//      predict (Keras's way), and of re-running the last 100 characters (tfjs-examples' way).
// A benchmark, not a test: about 25 minutes on 2 CPU cores.
//
//   node text.mjs [--quick] [--json FILE] [--no-torch] [--backends wasm,cpu] [--only throughput,encoding,training,generation]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { getTextRecipe, runTextRecipe, textSettingsFor } from '@neurona/recipes';
import { loadRecipeText } from '@neurona/recipes/node';
import { CharGenerator, charLanguageModel, compileCharModel, prepareCorpus, statefulCopy } from '@neurona/text-rnn';
import { countParameters } from '@neurona/zoo';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';

const opts = new Command()
  .option('--quick', 'a smoke run: small budgets, --quick recipes')
  .option('--json <file>', 'also write every figure as JSON')
  .option('--no-torch', 'skip the PyTorch reference')
  .option('--backends <names>', 'backends for the throughput table', 'wasm,cpu')
  .option('--only <parts>', 'throughput, encoding, training, generation (default: all)')
  .parse()
  .opts();
const parts = new Set((opts.only ?? 'throughput,encoding,training,generation').split(','));
const torchScript = fileURLToPath(new URL('./torch_char.py', import.meta.url));
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, tfjs ${tf.version.tfjs}`;
const results = {
  machine,
  date: new Date().toISOString(),
  throughput: [],
  encoding: [],
  training: null,
  generation: [],
};
const skipped = [];
const scratch = await mkdtemp(join(tmpdir(), 'neurona-bench-text-'));

function torch(config) {
  const file = join(scratch, `torch-${Date.now()}.json`);
  return writeFile(file, JSON.stringify(config)).then(() =>
    JSON.parse(execFileSync('/usr/bin/python3', [torchScript, file], { encoding: 'utf8', maxBuffer: 1 << 24 })),
  );
}
let torchProblem = opts.torch ? undefined : 'skipped (--no-torch)';
if (!torchProblem) {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'pipe' });
  } catch (error) {
    torchProblem = `not importable under /usr/bin/python3 (apt-get install python3-torch): ${String(
      error.stderr ?? error.message,
    )
      .trim()
      .split('\n')
      .at(-1)}`;
  }
}
if (torchProblem) skipped.push(`pytorch: ${torchProblem}`);

const recipe = getTextRecipe('ch13-moby-dick');
const { text } = await loadRecipeText(recipe, { download: false });
const defaults = textSettingsFor(recipe, {}, { quick: Boolean(opts.quick) });
const fmt = (n, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–';

// 1. Throughput: train steps on one batch of real windows, after a warm-up step.
if (parts.has('throughput')) {
  const corpus = prepareCorpus(text.slice(0, 200_000), { sequenceLength: defaults.sequenceLength });
  const shape = {
    embeddingDim: defaults.embeddingDim,
    units: defaults.units,
    batchSize: defaults.batchSize,
    sequenceLength: defaults.sequenceLength,
  };
  for (const cell of ['gru', 'lstm']) {
    for (const backend of opts.backends.split(',')) {
      await useBackend(backend, { log: false });
      const model = charLanguageModel({
        vocabularySize: corpus.vocabulary.size,
        cell,
        units: shape.units,
        embeddingDim: shape.embeddingDim,
        rng: createRng(1),
      });
      compileCharModel(model, tf.train.adam(0.002));
      const n = shape.batchSize * shape.sequenceLength;
      const x = tf.tensor2d(corpus.train.slice(0, n), [shape.batchSize, shape.sequenceLength], 'int32');
      const y = tf.tensor3d(corpus.train.slice(1, n + 1), [shape.batchSize, shape.sequenceLength, 1], 'int32');
      await model.trainOnBatch(x, y);
      const steps = backend === 'cpu' || opts.quick ? 1 : 4;
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y);
      const seconds = (performance.now() - t0) / 1000;
      results.throughput.push({
        cell,
        backend,
        runtime: `tfjs ${backend}`,
        params: countParameters(model).total,
        charactersPerSec: (steps * n) / seconds,
        ...shape,
      });
      tf.dispose([x, y]);
      model.optimizer.dispose();
      model.dispose();
    }
    if (!torchProblem) {
      const t = await torch({
        mode: 'throughput',
        cell,
        vocabulary: corpus.vocabulary.size,
        ...shape,
        learningRate: 0.002,
        seed: 1,
        steps: opts.quick ? 1 : 3,
      });
      results.throughput.push({
        cell,
        backend: 'cpu, 1 thread',
        runtime: t.runtime,
        params: t.params,
        charactersPerSec: t.charactersPerSec,
        ...shape,
      });
    }
  }
  console.log(
    `\n## Training throughput: Embedding(${defaults.embeddingDim}) → GRU/LSTM(${defaults.units}) → Dense, batch ${defaults.batchSize}, windows of ${defaults.sequenceLength} (${machine})\n`,
  );
  console.log(
    '| cell | runtime | backend | parameters | characters/s | × PyTorch |\n| --- | --- | --- | ---: | ---: | ---: |',
  );
  for (const r of results.throughput) {
    const ref = results.throughput.find((t) => t.cell === r.cell && t.runtime.startsWith('pytorch'));
    console.log(
      `| ${r.cell} | ${r.runtime} | ${r.backend} | ${fmt(r.params)} | ${fmt(r.charactersPerSec)} | ${ref ? fmt(r.charactersPerSec / ref.charactersPerSec, 2) : '–'} |`,
    );
  }
}

await useBackend('wasm', { log: false });

// 2. Book 13.2: one-hot against Embedding, the recipes' own settings.
if (parts.has('encoding')) {
  for (const id of ['ch13-one-hot', 'ch13-embedding']) {
    const r = getTextRecipe(id);
    const result = await runTextRecipe(r, text, {}, { quick: Boolean(opts.quick) });
    results.encoding.push({
      recipe: id,
      encoding: result.shape.encoding,
      params: countParameters(result.model).total,
      charactersPerSec: result.timing.trainCharactersPerSecond,
      seconds: result.timing.seconds,
      validationLoss: result.validationLoss,
      unigramEntropy: result.baselines.unigramEntropy,
      untrained: result.baselines.untrainedModel,
    });
    result.dispose();
  }
  const first = results.encoding[0];
  console.log(
    `\n## Book 13.2: one-hot against Embedding, GRU(${textSettingsFor(getTextRecipe('ch13-embedding')).units}), first ${fmt(getTextRecipe('ch13-embedding').characters)} characters of Moby Dick, wasm\n`,
  );
  console.log(`unigram entropy ${fmt(first.unigramEntropy, 4)} nats/char; untrained ${fmt(first.untrained, 4)}\n`);
  console.log(
    '| recipe | input | parameters | characters/s | seconds | validation loss per epoch (nats/char) |\n| --- | --- | ---: | ---: | ---: | --- |',
  );
  for (const r of results.encoding) {
    console.log(
      `| ${r.recipe} | ${r.encoding} | ${fmt(r.params)} | ${fmt(r.charactersPerSec)} | ${fmt(r.seconds, 1)} | ${r.validationLoss.map((v) => fmt(v, 4)).join(', ')} |`,
    );
  }
}

// 3. The default training, and PyTorch for the same wall time.
let trained;
if (parts.has('training') || parts.has('generation')) {
  const result = await runTextRecipe(recipe, text, {}, { quick: Boolean(opts.quick) });
  trained = result;
  const row = {
    recipe: recipe.id,
    settings: defaults,
    params: countParameters(result.model).total,
    validationLoss: result.validationLoss,
    unigramEntropy: result.baselines.unigramEntropy,
    untrained: result.baselines.untrainedModel,
    belowUnigram: 1 - (result.validationLoss.at(-1) ?? Number.NaN) / result.baselines.unigramEntropy,
    seconds: result.timing.seconds,
    charactersPerSec: result.timing.trainCharactersPerSecond,
    counts: result.counts,
  };
  if (!torchProblem && parts.has('training')) {
    const corpus = prepareCorpus(opts.quick ? text.slice(0, recipe.quick.characters) : text, {
      sequenceLength: defaults.sequenceLength,
    });
    await writeFile(join(scratch, 'train.i32'), Buffer.from(corpus.train.buffer));
    await writeFile(join(scratch, 'validation.i32'), Buffer.from(corpus.validation.buffer));
    row.torch = await torch({
      mode: 'train',
      cell: defaults.cell,
      vocabulary: corpus.vocabulary.size,
      embeddingDim: defaults.embeddingDim,
      units: defaults.units,
      batchSize: defaults.batchSize,
      sequenceLength: defaults.sequenceLength,
      learningRate: defaults.learningRate,
      seed: defaults.seed,
      seconds: result.timing.seconds,
      train: join(scratch, 'train.i32'),
      validation: join(scratch, 'validation.i32'),
    });
  }
  results.training = row;
  if (parts.has('training')) {
    console.log(
      `\n## ${recipe.id}${opts.quick ? ' --quick' : ''}: ${defaults.cell.toUpperCase()}(${defaults.units}), Embedding ${defaults.embeddingDim}, ${defaults.epochs} epochs, batch ${defaults.batchSize}, Adam ${defaults.learningRate}; ${fmt(row.counts.trainCharacters)} characters to train on, the last ${fmt(row.counts.validationCharacters)} held out\n`,
    );
    console.log(
      `unigram entropy ${fmt(row.unigramEntropy, 4)} nats/char; untrained model ${fmt(row.untrained, 4)}; bar: at most ${fmt(0.6 * row.unigramEntropy, 4)} (40% below the unigram entropy)\n`,
    );
    console.log(
      '| runtime | after | seconds | validation loss (nats/char) | bits/char | below unigram |\n| --- | --- | ---: | ---: | ---: | ---: |',
    );
    row.validationLoss.forEach((v, i) => {
      console.log(
        `| tfjs wasm | epoch ${i + 1} | ${i === row.validationLoss.length - 1 ? fmt(row.seconds, 0) : ''} | ${fmt(v, 4)} | ${fmt(v / Math.LN2, 3)} | ${fmt(100 * (1 - v / row.unigramEntropy), 1)}% |`,
      );
    });
    for (const p of row.torch?.points ?? []) {
      console.log(
        `| ${row.torch.runtime}, 1 thread | ${fmt(p.epochs, 2)} epochs | ${fmt(p.seconds, 0)} | ${fmt(p.valLoss, 4)} | ${fmt(p.valLoss / Math.LN2, 3)} | ${fmt(100 * (1 - p.valLoss / row.unigramEntropy), 1)}% |`,
      );
    }
    console.log(
      `\ntraining: tfjs wasm ${fmt(row.charactersPerSec)} characters/s${row.torch ? `, PyTorch ${fmt(row.torch.charactersPerSec)} characters/s (untrained ${fmt(row.torch.untrained, 4)})` : ''}`,
    );
  }
}

// 4. Generation speed, on the trained model.
if (parts.has('generation') && trained) {
  const length = opts.quick ? 100 : 1000;
  const generator = CharGenerator.fromModel(trained.model, trained.vocabulary);
  const ours = await generator.generate({ prompt: recipe.prompt, length, temperature: 0.8, seed: 1 });
  generator.dispose();
  results.generation.push({
    method: 'CharGenerator (one step on the backend)',
    characters: length,
    charactersPerSec: ours.charactersPerSecond,
    sample: recipe.prompt + ours.text,
  });

  const stateful = await statefulCopy(trained.model);
  const rng = createRng(1);
  const { sampleFromLogits } = await import('@neurona/text-rnn');
  const count = opts.quick ? 50 : 300;
  let t0 = performance.now();
  stateful.resetStates();
  let logits;
  for (const id of trained.vocabulary.encode(recipe.prompt)) {
    logits?.dispose();
    logits = stateful.predict(tf.tensor2d([[id]], [1, 1], 'int32'));
  }
  for (let i = 0; i < count; i++) {
    const values = await logits.data();
    logits.dispose();
    const id = sampleFromLogits(values, { temperature: 0.8 }, rng);
    const x = tf.tensor2d([[id]], [1, 1], 'int32');
    logits = stateful.predict(x);
    x.dispose();
  }
  logits.dispose();
  results.generation.push({
    method: 'stateful batch-1 copy through predict (Keras)',
    characters: count,
    charactersPerSec: count / ((performance.now() - t0) / 1000),
  });
  stateful.dispose();

  const window = defaults.sequenceLength;
  let ids = Array.from(trained.vocabulary.encode(text.slice(0, window)));
  const rerun = opts.quick ? 20 : 100;
  t0 = performance.now();
  for (let i = 0; i < rerun; i++) {
    const next = tf.tidy(() => {
      const out = trained.model.predict(tf.tensor2d([ids], [1, ids.length], 'int32'));
      return out.slice([0, ids.length - 1, 0], [1, 1, -1]);
    });
    const id = sampleFromLogits(await next.data(), { temperature: 0.8 }, rng);
    next.dispose();
    ids = [...ids.slice(1), id];
  }
  results.generation.push({
    method: `re-running the last ${window} characters through predict`,
    characters: rerun,
    charactersPerSec: rerun / ((performance.now() - t0) / 1000),
  });
  console.log(`\n## Generation, ${recipe.id} model, wasm\n`);
  console.log('| method | characters | characters/s | × re-run |\n| --- | ---: | ---: | ---: |');
  const base = results.generation.at(-1).charactersPerSec;
  for (const g of results.generation)
    console.log(
      `| ${g.method} | ${fmt(g.characters)} | ${fmt(g.charactersPerSec)} | ${fmt(g.charactersPerSec / base, 1)} |`,
    );
  console.log(`\nsample (temperature 0.8):\n${results.generation[0].sample}`);
}
trained?.dispose();
await rm(scratch, { recursive: true, force: true });
if (skipped.length) console.log(`\nskipped: ${skipped.join('; ')}`);
if (opts.json) await writeFile(opts.json, `${JSON.stringify({ ...results, skipped }, null, 2)}\n`);
