import { recipes } from '@neurona/recipes';
import { Command, InvalidArgumentError } from 'commander';
import { trainCommand } from './train.js';

const integer = (min: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min) {
    throw new InvalidArgumentError(`must be an integer >= ${min}`);
  }
  return n;
};
const positiveNumber = (value: string) => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError('must be a number > 0');
  return n;
};

const program = new Command('neurona')
  .description("The book's deep-learning experiments on TensorFlow.js, from the terminal.")
  .showHelpAfterError();

program
  .command('list')
  .description('list the recipes (the experiments of the book)')
  .action(() => {
    for (const r of recipes) {
      console.log(`${r.id.padEnd(14)} ch ${String(r.chapter).padStart(2)}  ${r.title}`);
    }
  });

program
  .command('train')
  .description('train a recipe and write a run folder (model, history, plot, summary.json)')
  .argument('<recipe>', 'recipe id, from `neurona list`')
  .option('--epochs <n>', 'epochs to train', integer(1))
  .option('--batch-size <n>', 'examples per batch', integer(1))
  .option('--learning-rate <x>', 'optimizer learning rate', positiveNumber)
  .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, wasm or cpu (default: the fastest that loads)')
  .option('--seed <n>', 'seed for the split, shuffles and initialisers', integer(0))
  .option('--out <dir>', 'run folder (default: runs/<recipe>-<time>)')
  .option('--force', 'replace an existing run folder')
  .option('--book', "use the book's exact hyper-parameters instead of the recipe's defaults")
  .action(async (recipe: string, options) => {
    await trainCommand(recipe, options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`neurona: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
