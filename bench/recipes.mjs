// `pnpm bench:recipes`: trains every recipe whose data is on this machine and prints the
// reproduction table (Markdown) beside the book's or Keras's figures, plus a JSON line per
// row. A benchmark, not a test: about three hours on 2 CPU cores with WASM.
//
//   node recipes.mjs [--only id,id] [--quick] [--json FILE] [--backend wasm|cpu|tensorflow]
//                    [--pretrained nsfwjs-mobilenet-v2|PATH|URL] [--dogs-vs-cats DIR]
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { registerFileSystem, useBackend, useBestBackend } from '@neurona/core/node';
import { getRecipe, runRecipe } from '@neurona/recipes';
import { loadModel, loadRecipeInput, NSFWJS_MOBILENET_V2 } from '@neurona/recipes/node';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';

const program = new Command()
  .option('--only <ids>', 'comma-separated recipe ids or row labels')
  .option('--quick', "each recipe's --quick settings (a smoke run, not the table)")
  .option('--json <file>', 'also write the rows as JSON')
  .option('--backend <name>', 'backend (default: the best one here)')
  .option('--pretrained <model>', 'pretrained model for ch. 11', NSFWJS_MOBILENET_V2)
  .option('--dogs-vs-cats <dir>', 'folder with train/, validation/, test/ of the book’s Dogs vs Cats set')
  .option('--table <files...>', 'train nothing: print the table of rows saved with --json (later files win)')
  .parse();
const opts = program.opts();

// One row per experiment of the table: the recipe, the data, the settings, and the bar a
// run must clear (from the issue that specified this table) where there is one.
const rows = [
  {
    label: 'ch05-dense (SGD 0.1)',
    recipe: 'ch05-dense',
    data: 'fashion-mnist',
    overrides: { epochs: 5, learningRate: 0.1, validationFraction: 0 },
    bar: 0.82,
  },
  { label: "ch05-dense (book's SGD 0.01)", recipe: 'ch05-dense', data: 'fashion-mnist', book: true },
  { label: 'ch07-one-neuron', recipe: 'ch07-one-neuron', data: 'toy2d' },
  { label: 'ch07-hidden-layer', recipe: 'ch07-hidden-layer', data: 'toy2d' },
  { label: 'ch07-deep', recipe: 'ch07-deep', data: 'toy2d' },
  { label: 'ch08-mnist-cnn', recipe: 'ch08-mnist-cnn', data: 'mnist' },
  { label: 'ch08-fashion-basic', recipe: 'ch08-fashion-basic', data: 'fashion-mnist' },
  { label: 'ch08-fashion-adam', recipe: 'ch08-fashion-adam', data: 'fashion-mnist' },
  {
    label: 'ch08-fashion-bn-dropout',
    recipe: 'ch08-fashion-bn-dropout',
    data: 'fashion-mnist',
    overrides: { epochs: 20 },
    bar: 0.91,
  },
  { label: 'ch08-fashion-lr-decay', recipe: 'ch08-fashion-lr-decay', data: 'fashion-mnist' },
  { label: 'ch09-auto-mpg', recipe: 'ch09-auto-mpg', data: 'auto-mpg', bar: 2.5 },
  { label: 'ch10-dogs-cats', recipe: 'ch10-dogs-cats', data: 'dogs-vs-cats' },
  { label: 'ch11-augmentation', recipe: 'ch11-augmentation', data: 'dogs-vs-cats' },
  { label: 'ch11-feature-extraction', recipe: 'ch11-feature-extraction', data: 'dogs-vs-cats' },
  { label: 'ch11-fine-tuning', recipe: 'ch11-fine-tuning', data: 'dogs-vs-cats' },
  { label: 'ch12-functional', recipe: 'ch12-functional', data: 'fashion-mnist' },
  { label: 'ch12-cifar-resnet50', recipe: 'ch12-cifar-resnet50', data: 'cifar10' },
  { label: 'ch12-cifar-vgg19', recipe: 'ch12-cifar-vgg19', data: 'cifar10' },
];

/** One line per epoch on stderr, so a row that trains for an hour shows where it is. */
function progress(label) {
  let last = performance.now();
  return {
    onEpochEnd(epoch, logs) {
      const now = performance.now();
      const figures = Object.entries(logs)
        .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(4) : v}`)
        .join(' · ');
      console.error(`${label} · epoch ${epoch + 1} · ${figures} · ${((now - last) / 1000).toFixed(0)} s`);
      last = now;
    },
  };
}

const fmt = (v, metric) => (v === undefined || Number.isNaN(v) ? '—' : metric === 'mae' ? v.toFixed(2) : v.toFixed(4));

async function train() {
  const only = opts.only?.split(',');
  const chosen = only ? rows.filter((r) => only.includes(r.recipe) || only.includes(r.label)) : rows;
  const report = opts.backend ? await useBackend(opts.backend, { log: false }) : await useBestBackend({ log: false });
  registerFileSystem();
  const machine = `${cpus().length}× ${cpus()[0]?.model.trim()}, Node ${process.version}, tfjs ${tf.version.tfjs}, ${report.backend}`;

  const results = [];
  for (const row of chosen) {
    const recipe = getRecipe(row.recipe);
    const result = { ...row, backend: report.backend };
    let input;
    try {
      input = await loadRecipeInput(row.data, {
        download: false,
        ...(row.data === 'dogs-vs-cats' && opts.dogsVsCats ? { path: opts.dogsVsCats } : {}),
        imageSize: recipe.imageSize,
      });
    } catch (error) {
      result.skipped = `data not here (neurona data fetch ${row.data})`;
      result.reason = error.message;
    }
    if (input) {
      let pretrained;
      try {
        if (recipe.pretrained === 'required') pretrained = await loadModel(opts.pretrained);
        const settings = row.book ? recipe.book : {};
        const run = await runRecipe(
          recipe,
          input,
          { ...settings, ...row.overrides },
          { quick: Boolean(opts.quick), pretrained, callbacks: [progress(row.label)] },
        );
        pretrained = undefined; // the run owns it now
        const h = run.history.history;
        const metric = recipe.expected.metric;
        const key = metric === 'mae' ? 'mae' : 'accuracy';
        Object.assign(result, {
          epochs: run.epochsRun,
          settings: run.settings,
          counts: run.counts,
          secondsPerEpoch: run.timing.secondsPerEpoch,
          featureSeconds: run.timing.featureSeconds,
          metric,
          train: h[key]?.at(-1),
          validation: h[`val_${key}`]?.at(-1),
          test: run.score.value,
          meetsBar:
            row.bar === undefined
              ? undefined
              : metric === 'mae'
                ? run.score.value <= row.bar
                : run.score.value >= row.bar,
        });
        run.dispose();
      } catch (error) {
        pretrained?.dispose();
        result.skipped = `failed: ${error.message.split('\n')[0]}`;
      }
    }
    results.push(result);
    console.log(JSON.stringify(result));
    // Written after every row: a long run stopped half-way keeps the rows it finished.
    if (opts.json) {
      await writeFile(
        opts.json,
        `${JSON.stringify({ machine, date: new Date().toISOString(), rows: results }, null, 2)}\n`,
      );
    }
  }
  return { machine, date: new Date().toISOString(), results };
}

/** Rows saved by earlier runs, merged by label in the table's order. */
async function saved(files) {
  const byLabel = new Map();
  const machines = new Set();
  let date = '';
  for (const file of files) {
    const run = JSON.parse(await readFile(file, 'utf8'));
    machines.add(run.machine);
    date = run.date > date ? run.date : date;
    for (const row of run.rows) byLabel.set(row.label, row);
  }
  const results = rows.flatMap((r) => (byLabel.has(r.label) ? [byLabel.get(r.label)] : []));
  return { machine: [...machines].join('; '), date, results };
}

const { machine, date, results } = opts.table ? await saved(opts.table) : await train();

console.log(`\n${date.slice(0, 10)} · ${machine}${opts.quick ? ' · --quick' : ''}\n`);
console.log(
  '| recipe | data (train/validation/test) | epochs | backend | s/epoch | train | validation | test | bar | reference |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const recipe = getRecipe(r.recipe);
  const ref = recipe.reference ? `${recipe.reference.figure} (${recipe.reference.source})` : '—';
  const metric = recipe.expected.metric;
  if (r.skipped) {
    console.log(`| ${r.label} | ${r.data} | — | ${r.backend} | — | — | — | ${r.skipped} | ${r.bar ?? '—'} | ${ref} |`);
    continue;
  }
  const bar = r.bar === undefined ? '—' : `${metric === 'mae' ? '<' : '≥'} ${r.bar} ${r.meetsBar ? '✓' : '✗'}`;
  console.log(
    `| ${r.label} | ${r.data} (${r.counts.train.toLocaleString('en-US')}/${r.counts.validation.toLocaleString('en-US')}/${r.counts.test.toLocaleString('en-US')}) | ${r.epochs} | ${r.backend} | ${r.secondsPerEpoch.toFixed(r.secondsPerEpoch < 10 ? 2 : 0)} | ${fmt(r.train, metric)} | ${fmt(r.validation, metric)} | ${metric} ${fmt(r.test, metric)} | ${bar} | ${ref} |`,
  );
}
