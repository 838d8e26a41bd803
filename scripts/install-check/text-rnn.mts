// README example of @neurona/text-rnn, smaller: a GRU on the first pages of Moby Dick, then text.
import { useBackend } from '@neurona/core/node';
import { loadText } from '@neurona/datasets/node';
import { CharGenerator, trainLanguageModel } from '@neurona/text-rnn';

await useBackend('wasm');
const { text } = await loadText('moby-dick');
const run = await trainLanguageModel(text.slice(0, 6000), {
  epochs: 2,
  seed: 42,
  sequenceLength: 40,
  model: { cell: 'gru', units: 32 },
});
const generator = CharGenerator.fromModel(run.model, run.vocabulary);
let written = '';
await generator.generate({ prompt: 'Call me ', length: 40, temperature: 0.8, seed: 1, onText: (c) => (written += c) });
generator.dispose();
const [first, last] = [run.validationLoss[0] ?? Number.NaN, run.validationLoss.at(-1) ?? Number.NaN];
run.dispose();
if (written.length !== 40 || !(last < first))
  throw new Error(`wrote ${written.length} characters; loss ${first} → ${last}`);
console.log(
  `text-rnn: validation loss ${first.toFixed(3)} → ${last.toFixed(3)} nats; wrote ${JSON.stringify(`Call me ${written}`)}`,
);
