import { InvalidOptionError } from '@neurona/core';
import { releaseWebGpu } from '@neurona/core/node';
import { ganRecipes, recipes, textRecipes } from '@neurona/recipes';
import { Command, InvalidArgumentError } from 'commander';
import { augmentPreviewCommand } from './augment.js';
import { dataFetch, dataList, dataPath, dataVerify } from './data.js';
import { evaluateCommand } from './evaluate.js';
import { generateImagesCommand, generateTextCommand } from './generate.js';
import { modelList, modelSummary } from './model.js';
import { predictCommand } from './predict.js';
import { runsClean, runsList, runsShow } from './runs.js';
import { trainCommand } from './train.js';
import { ExitError } from './training-session.js';

/** The largest counts the CLI takes: far beyond any run of the book, and exact in a double. */
const MAX_COUNT = 1_000_000;

const integer =
  (min: number, max = MAX_COUNT) =>
  (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max.toLocaleString('en-US')}`);
    }
    return n;
  };
const learningRate = (value: string) => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0 && n <= 10)) throw new InvalidArgumentError('must be a number in (0, 10]');
  return n;
};

const finiteNumber = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0)) throw new InvalidArgumentError('must be a number >= 0');
  return n;
};
const pair = (value: string) => {
  const parts = value.split(',').map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)))
    throw new InvalidArgumentError('must be two numbers, LOW,HIGH');
  return parts as [number, number];
};

const program = new Command('neurona')
  .description("The book's deep-learning experiments on TensorFlow.js, from the terminal.")
  .showHelpAfterError();

program
  .command('list')
  .description('list the recipes (the experiments of the book)')
  .action(() => {
    for (const r of recipes) {
      const runsOn = [...new Set([r.data, ...(r.alsoRunsOn ?? [])])].join(', ');
      console.log(
        `${r.id.padEnd(24)} ch ${String(r.chapter).padStart(2)}  ${r.title}\n${' '.repeat(31)}runs on: ${runsOn}`,
      );
    }
    for (const r of textRecipes) {
      console.log(
        `${r.id.padEnd(24)} ch ${String(r.chapter).padStart(2)}  ${r.title}\n${' '.repeat(31)}runs on: ${r.corpus}, or any UTF-8 text (--text FILE)`,
      );
    }
    for (const r of ganRecipes) {
      console.log(
        `${r.id.padEnd(24)} ch ${String(r.chapter).padStart(2)}  ${r.title}\n${' '.repeat(31)}runs on: ${r.data}${r.data === 'fashion-mnist' ? ' (the bundled sample where the full set is absent)' : ''}`,
      );
    }
  });

program
  .command('train')
  .description(
    'train a recipe and write a run folder (model, history, plot, summary.json, checkpoints); Ctrl-C saves a checkpoint that --resume continues',
  )
  .argument('[recipe]', 'recipe id, from `neurona list` (not needed with --resume)')
  .option('--epochs <n>', 'epochs to train', integer(1))
  .option('--batch-size <n>', 'examples per batch', integer(1))
  .option('--learning-rate <x>', 'optimizer learning rate', learningRate)
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .option('--seed <n>', 'seed for the split, shuffles and initialisers', integer(0, Number.MAX_SAFE_INTEGER))
  .option(
    '--checkpoint-every <n>',
    'write a checkpoint every n epochs (default: after an epoch when a minute has passed since the last, at the end, and on Ctrl-C)',
    integer(1),
  )
  .option('--resume <run-dir>', "continue an interrupted run from its last checkpoint, with the run's own settings")
  .option('--out <dir>', 'run folder (default: runs/<recipe>-<time>)')
  .option('--force', 'replace an existing run folder')
  .option('--book', "use the book's exact hyper-parameters instead of the recipe's defaults")
  .option('--quick', 'a short run on fewer examples (a first look; what the tests run)')
  .option('--data <name>', 'another data set of the same shape (see `neurona list`\'s "runs on")')
  .option('--data-dir <dir>', 'a folder of your own holding the data set (Dogs vs Cats: train/, validation/, test/)')
  .option('--no-download', 'never download; use the data found on this machine')
  .option('--pretrained <model>', 'transfer learning: nsfwjs-mobilenet-v2 (default), a model.json path, or a URL')
  .option('--fine-tune-from <layer>', 'fine-tuning: the first layer of the base to unfreeze')
  .option('--text <file>', "chapter 13: train on this UTF-8 text file instead of the recipe's corpus")
  .option('--cell <cell>', 'chapter 13: gru or lstm', (value: string) => {
    if (value !== 'gru' && value !== 'lstm') throw new InvalidArgumentError('must be gru or lstm');
    return value;
  })
  .option('--units <n>', 'chapter 13: units of each recurrent layer', integer(1, 8192))
  .option('--layers <n>', 'chapter 13: stacked recurrent layers', integer(1, 16))
  .option('--embedding-dim <n>', 'chapter 13: size of the character Embedding', integer(1, 4096))
  .option('--seq-length <n>', 'chapter 13: characters per training window', integer(1, 100_000))
  .option('--dropout <rate>', 'chapter 13: dropout after each recurrent layer, in [0, 1)', (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError('must be a number in [0, 1)');
    return n;
  })
  .option('--latent-dim <n>', "chapter 14: size of the generator's noise input", integer(1, 100_000))
  .option('--train-images <n>', 'chapter 14: train on the first n training images (0: all)', integer(0, 100_000_000))
  .option(
    '--score-images <n>',
    'chapter 14: images each sample score is read from (the same count every time)',
    integer(2, 1_000_000),
  )
  .option(
    '--classifier <dir>',
    'chapter 14: the scoring classifier folder (default: one trained once per data set and cached)',
  )
  .action(async (recipe: string | undefined, options) => {
    await trainCommand(recipe, options);
  });

const positive = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError('must be a number > 0');
  return n;
};
const probability = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n <= 1)) throw new InvalidArgumentError('must be a number in (0, 1]');
  return n;
};

const generate = program
  .command('generate')
  .description('write with a trained generative model (chapter 13: text, chapter 14: images)');
generate
  .command('text')
  .description("continue a seed string with a chapter-13 run's character model, printing each character as it comes")
  .requiredOption('--model <run-dir>', 'a run folder of neurona train ch13-…')
  .option('--seed <text>', "the text to continue (the book's seed string)", 'ROMEO:')
  .option('--length <n>', 'characters to write', integer(1, 10_000_000), 500)
  .option('--temperature <t>', 'below 1 more predictable, above 1 more surprising', positive, 1)
  .option('--top-k <k>', 'draw only among the k likeliest characters (1: greedy)', integer(1, 100_000))
  .option('--top-p <p>', 'draw only among the likeliest characters whose probability sums to p', probability)
  .option(
    '--random-seed <n>',
    'seed of the draws: the same seed writes the same text',
    integer(0, Number.MAX_SAFE_INTEGER),
    1,
  )
  .option('--drop-unknown', 'skip seed characters the model never saw instead of refusing the seed')
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .action(async (options) => {
    await generateTextCommand(options);
  });

generate
  .command('images')
  .description("images from a chapter-14 run's generator: a grid PNG, or a GIF with one image a frame")
  .requiredOption('--model <run-dir>', 'a run folder of neurona train ch14-…')
  .option('--count <n>', 'images to make', integer(1, 10_000), 64)
  .option('--out <file>', 'where to write them: .png (a grid) or .gif (an animation)', 'grid.png')
  .option('--seed <n>', 'seed of the noise: the same seed, the same images', integer(0, Number.MAX_SAFE_INTEGER), 1)
  .option('--columns <n>', 'images per row of the grid (default: a square)', integer(1, 10_000))
  .option('--interpolate', 'a walk between two latent points (spherical), --count steps, as GAN demos show')
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .action(async (options) => {
    await generateImagesCommand(options);
  });

program
  .command('evaluate')
  .description(
    "score a run's model on its test part: figures, confusion matrix (table, PNG, SVG), per-class accuracy; or a model the Playground page exported, on its test points",
  )
  .argument('<run-dir>', 'a run folder written by neurona train, or the .json of a Playground export')
  .option('--data <name>', "another data set of the same shape (default: the run's)")
  .option('--data-dir <dir>', 'a folder holding that data set')
  .option('--no-download', 'never download; use the data found on this machine')
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .action(async (dir: string, options) => {
    await evaluateCommand(dir, options);
  });

program
  .command('predict')
  .description("run a run's model on images (top-k classes) or CSV rows (through the run's saved preprocessing)")
  .argument('<run-dir>', 'a run folder written by neurona train')
  .argument('<files...>', 'images (JPEG, PNG, WebP, …) or CSV files')
  .option('--top-k <k>', 'classes to show per image', integer(1, 1000), 3)
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .action(async (dir: string, files: string[], options) => {
    await predictCommand(dir, files, options);
  });

const runs = program.command('runs').description('the run folders: list, show, clean up after killed runs');
runs
  .command('list', { isDefault: true })
  .description('list run folders, complete or interrupted')
  .option('--dir <dir>', 'the folder holding the runs', 'runs')
  .action(async (options) => {
    await runsList(options);
  });
runs
  .command('show')
  .description("a run's settings, figures, status and last checkpoint")
  .argument('<run-dir>', 'a run folder')
  .action(async (dir: string) => {
    await runsShow(dir);
  });
runs
  .command('clean')
  .description('remove what killed runs left (hidden partial/previous folders, half-written files)')
  .option('--dir <dir>', 'the folder holding the runs', 'runs')
  .option('--include-resumable', 'also remove interrupted --force runs that could be resumed')
  .action(async (options) => {
    await runsClean(options);
  });

const shape = (value: string) => {
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError('must be HEIGHT,WIDTH,CHANNELS, three positive integers');
  }
  return parts as [number, number, number];
};

const model = program.command('model').description('the named networks of the book');
model
  .command('list')
  .description('list the models')
  .action(() => modelList());
model
  .command('summary')
  .description("print a model's Keras-style summary and parameter counts")
  .argument('<name>', 'model name, from `neurona model list`')
  .option('--input-shape <h,w,c>', 'input shape, e.g. 224,224,3', shape)
  .option('--classes <n>', 'classes of the top', integer(1))
  .action(async (name: string, options) => {
    await modelSummary(name, options);
  });

const data = program.command('data').description("the book's data sets: where they are, fetching and verifying them");
data
  .command('list')
  .description('list the data sets and where each is found')
  .action(async () => {
    await dataList();
  });
data
  .command('path')
  .description('print the folder a data set is read from')
  .argument('<name>', 'data set name, from `neurona data list`')
  .option('--path <dir>', 'a folder of your own that holds the files')
  .action(async (name: string, options) => {
    await dataPath(name, options);
  });
data
  .command('fetch')
  .description('download a data set into the cache, resuming and verifying SHA-256')
  .argument('<name>', 'data set name')
  .option('--timeout <seconds>', 'give up when no data arrives for this long', integer(1), 30)
  .action(async (name: string, options) => {
    await dataFetch(name, options);
  });
data
  .command('verify')
  .description('read every file of a data set fully: checksums, format and counts')
  .argument('<name>', 'data set name')
  .option('--path <dir>', 'verify this folder instead of the one found')
  .action(async (name: string, options) => {
    await dataVerify(name, options);
  });

program
  .command('augment')
  .description('data augmentation (book ch. 11)')
  .command('preview')
  .description('write a grid of augmented variants of one image')
  .argument('<image>', 'a JPEG, PNG or WebP file')
  .requiredOption('--out <file>', 'the PNG grid to write')
  .option('--rotation-range <degrees>', 'rotation drawn from [-r, r] degrees', nonNegative)
  .option('--width-shift <r>', 'horizontal shift, a fraction of the width', nonNegative)
  .option('--height-shift <r>', 'vertical shift, a fraction of the height', nonNegative)
  .option('--shear <degrees>', 'shear angle drawn from [-r, r] degrees (Keras shear_range)', nonNegative)
  .option('--zoom <r>', 'zoom drawn from [1-r, 1+r]', nonNegative)
  .option('--horizontal-flip', 'flip half the variants left-right')
  .option('--vertical-flip', 'flip half the variants upside down')
  .option('--fill-mode <mode>', 'nearest, constant, reflect or wrap (default nearest)')
  .option('--cval <value>', 'fill value for --fill-mode constant', finiteNumber)
  .option('--brightness <low,high>', 'brightness factor range', pair)
  .option('--channel-shift <r>', 'channel shift drawn from [-r, r]', nonNegative)
  .option(
    '--count <n>',
    'how many variants (within a 256 MiB budget: up to 85 of a square 512-px image)',
    integer(1),
    9,
  )
  .option('--size <px>', 'longest side of each variant; larger images are shrunk first', integer(1, 4096), 512)
  .option('--columns <n>', 'variants per row (default: a square)', integer(1))
  .option('--seed <n>', 'seed for the transforms', integer(0), 1)
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, webgpu, wasm or cpu (default: the fastest that loads)')
  .option('--force', 'replace an existing --out file')
  .action(async (image: string, options) => {
    await augmentPreviewCommand(image, options);
  });

/**
 * The message a failed command prints. The libraries name options as their API spells them
 * (`rotationRange`); where the command that ran has a flag for that option, say which.
 */
function errorMessage(error: unknown, command: Command | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!InvalidOptionError.isInstance(error) || !command) return message;
  const flag = command.options.find((o) => o.attributeName() === error.option)?.long;
  return flag ? `${message} (set with ${flag})` : message;
}

let running: Command | undefined;
program.hook('preAction', (_program, command) => {
  running = command;
});

program
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`neurona: ${errorMessage(error, running)}`);
    process.exitCode = error instanceof ExitError ? error.exitCode : 1;
  })
  // Dawn keeps the event loop alive while a GPU device is held: let go of it so the command ends.
  .finally(releaseWebGpu);
