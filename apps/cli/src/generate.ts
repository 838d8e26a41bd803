import { useBackend, useBestBackend } from '@neurona/core/node';
import { CharGenerator } from '@neurona/text-rnn';
import { loadCharModel } from '@neurona/text-rnn/node';
import { readCompleteRun } from './run-folder.js';

export interface GenerateTextOptions {
  model: string;
  seed: string;
  length: number;
  temperature: number;
  topK?: number;
  topP?: number;
  randomSeed: number;
  dropUnknown?: boolean;
  backend?: string;
}

/**
 * `neurona generate text`: continues `--seed` with a chapter-13 run's model, printing each
 * character as it is drawn; the figures go to stderr so stdout is the text alone.
 */
export async function generateTextCommand(
  options: GenerateTextOptions,
  out: (text: string) => void = (t) => process.stdout.write(t),
  log: (line: string) => void = (line) => console.error(line),
) {
  const { summary } = await readCompleteRun(options.model);
  if ((summary as { kind?: string }).kind !== 'text') {
    throw new Error(
      `--model ${options.model} is a run of '${summary.recipe}', which does not write text; train one with neurona train ch13-moby-dick (or ch13-shakespeare, --text FILE)`,
    );
  }
  // The backend's report goes to stderr with the figures: stdout is the text alone.
  await (options.backend ? useBackend(options.backend, { log }) : useBestBackend({ log }));
  const { model, vocabulary } = await loadCharModel(options.model);
  const generator = CharGenerator.fromModel(model, vocabulary);
  model.dispose();
  try {
    const known = new Set(vocabulary.tokens.slice(1));
    const unknown = [...new Set(Array.from(options.seed).filter((c) => !known.has(c)))];
    if (unknown.length > 0 && !options.dropUnknown) {
      throw new Error(
        `--seed ${JSON.stringify(options.seed)} has ${unknown.length === 1 ? 'a character' : 'characters'} the model never saw: ${unknown.map((c) => JSON.stringify(c)).join(', ')}; change the seed, or add --drop-unknown to skip ${unknown.length === 1 ? 'it' : 'them'}`,
      );
    }
    let shownPrompt = false;
    const result = await generator.generate({
      prompt: options.seed,
      length: options.length,
      temperature: options.temperature,
      ...(options.topK !== undefined ? { topK: options.topK } : {}),
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      seed: options.randomSeed,
      dropUnknown: Boolean(options.dropUnknown),
      onText: (c) => {
        if (!shownPrompt) {
          shownPrompt = true;
          out(
            Array.from(options.seed)
              .filter((ch) => known.has(ch))
              .join(''),
          );
        }
        out(c);
      },
    });
    out('\n');
    log(
      `${options.length.toLocaleString('en-US')} characters in ${result.seconds.toFixed(2)} s (${Math.round(result.charactersPerSecond).toLocaleString('en-US')} characters/s), temperature ${options.temperature}` +
        (options.topK !== undefined ? `, top-k ${options.topK}` : '') +
        (options.topP !== undefined ? `, top-p ${options.topP}` : '') +
        `, random seed ${options.randomSeed}` +
        (result.dropped > 0
          ? `; ${result.dropped} seed character${result.dropped === 1 ? '' : 's'} not in the vocabulary skipped`
          : ''),
    );
    return result;
  } finally {
    generator.dispose();
  }
}
