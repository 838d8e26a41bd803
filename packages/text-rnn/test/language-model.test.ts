import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainingCallback } from '@neurona/core';
import { createRng, DataFormatError, InvalidOptionError } from '@neurona/core';
import { loadCheckpoint, saveCheckpoint, useBackend } from '@neurona/core/node';
import { loadText } from '@neurona/datasets/node';
import { CharVocabulary } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CharGenerator,
  charLanguageModel,
  minimumCorpusLength,
  prepareCorpus,
  sampleFromLogits,
  statefulCopy,
  trainLanguageModel,
  unigramEntropy,
} from '../src/index.js';

let text = '';
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'neurona-text-rnn-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  await useBackend('wasm', { log: false });
  // A few KB of real text: Moby Dick, from the chapter "Loomings" on.
  const moby = (await loadText('moby-dick')).text;
  const start = moby.indexOf('Call me Ishmael');
  text = moby.slice(start, start + 16_000);
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The greedy continuation of `prompt` by re-running the whole model on the growing prefix. */
function greedyByFullModel(model: tf.LayersModel, vocabulary: CharVocabulary, prompt: string, length: number) {
  let ids = Array.from(vocabulary.encode(prompt));
  let out = '';
  const oneHot = model.inputs[0]?.shape.length === 3;
  for (let i = 0; i < length; i++) {
    const next = tf.tidy(() => {
      const x = tf.tensor2d([ids], [1, ids.length], 'int32');
      const logits = model.predict(oneHot ? tf.oneHot(x, vocabulary.size).toFloat() : x) as tf.Tensor3D;
      return logits
        .slice([0, ids.length - 1, 0], [1, 1, vocabulary.size])
        .argMax(-1)
        .dataSync()[0] as number;
    });
    ids = [...ids, next];
    out += vocabulary.decode([next]);
  }
  return out;
}

describe('a character-level language model (book 13.3)', () => {
  it('learns: the validation loss falls below the unigram entropy; memory is flat after every epoch and after generating', async () => {
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const memory: TrainingCallback = { onEpochEnd: () => void counts.push(tf.memory().numTensors) };
    const run = await trainLanguageModel(text, {
      epochs: 8,
      seed: 7,
      sequenceLength: 50,
      batchSize: 32,
      learningRate: 0.01,
      model: { units: 96, embeddingDim: 32 },
      source: 'moby-dick (16 KB)',
      callbacks: [memory],
    });
    try {
      const loss = run.history.history.loss as number[];
      expect(loss.at(-1)).toBeLessThan((loss[0] as number) * 0.8);
      expect(run.baselines.untrainedModel).toBeCloseTo(Math.log(run.vocabulary.size), 1);
      expect(run.baselines.unigramEntropy).toBeGreaterThan(2.8);
      expect(run.validationLoss).toHaveLength(8);
      expect(run.validationLoss.at(-1)).toBeLessThan(run.baselines.unigramEntropy - 0.35);
      expect(new Set(counts).size).toBe(1);
      expect(run.counts.trainCharacters + run.counts.validationCharacters).toBe(16_000);
      expect(run.timing.trainCharactersPerSecond).toBeGreaterThan(0);

      const before = tf.memory().numTensors;
      const generator = CharGenerator.fromModel(run.model, run.vocabulary);
      const seen: string[] = [];
      const a = await generator.generate({
        prompt: 'Call me ',
        length: 120,
        temperature: 0.7,
        seed: 3,
        onText: (c) => seen.push(c),
      });
      const b = await generator.generate({ prompt: 'Call me ', length: 120, temperature: 0.7, seed: 3 });
      const c = await generator.generate({ prompt: 'Call me ', length: 120, temperature: 0.7, seed: 4 });
      expect(a.text).toHaveLength(120);
      expect(seen.join('')).toBe(a.text);
      expect(b.text).toBe(a.text);
      expect(c.text).not.toBe(a.text);
      // It learnt English-like text: spaces between words and mostly letters.
      expect((a.text.match(/ /g) ?? []).length).toBeGreaterThan(10);

      // The one-step generator continues exactly as the full model re-run on the prefix.
      const greedy = await generator.generate({ prompt: 'It is a way I have', length: 50, topK: 1, seed: 1 });
      expect(greedy.text).toBe(greedyByFullModel(run.model, run.vocabulary, 'It is a way I have', 50));
      generator.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      run.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  }, 120_000);

  it.each([
    { cell: 'lstm' as const, encoding: 'embedding' as const, layers: 2, dropout: 0.2 },
    { cell: 'gru' as const, encoding: 'one-hot' as const, layers: 1, dropout: 0 },
    { cell: 'lstm' as const, encoding: 'one-hot' as const, layers: 1, dropout: 0 },
  ])(
    'the one-step generator equals the full model for $cell, $encoding input, $layers layers',
    async (shape) => {
      // Trained a little, so the likeliest next character is not a near-tie of untrained logits.
      const run = await trainLanguageModel(text.slice(0, 5000), {
        epochs: 2,
        seed: 2,
        sequenceLength: 40,
        batchSize: 16,
        learningRate: 0.02,
        model: { ...shape, units: 24, embeddingDim: 8 },
      });
      const { model, vocabulary } = run;
      const generator = CharGenerator.fromModel(model, vocabulary);
      const greedy = await generator.generate({ prompt: 'whale', length: 50, topK: 1, seed: 1 });
      expect(greedy.text).toBe(greedyByFullModel(model, vocabulary, 'whale', 50));

      // Keras's way, a stateful batch-1 copy fed one character at a time, gives the same logits.
      const stateful = await statefulCopy(model);
      generator.reset();
      for (const id of vocabulary.encode('Ishmael')) {
        const ours = generator.step(id);
        const x = tf.tensor2d([[id]], [1, 1], 'int32');
        const input = shape.encoding === 'one-hot' ? tf.oneHot(x, vocabulary.size).toFloat() : x;
        const theirs = stateful.predict(input) as tf.Tensor;
        const a = ours.dataSync();
        const b = theirs.dataSync();
        expect(a.length).toBe(vocabulary.size);
        expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))))).toBeLessThan(1e-4);
        tf.dispose([ours, x, input, theirs]);
      }
      generator.dispose();
      stateful.dispose();
      model.dispose();
    },
    60_000,
  );

  it('resumes: 1 epoch, a checkpoint on disk, 1 more equals 2 straight, bit for bit', async () => {
    const options = {
      epochs: 2,
      seed: 11,
      sequenceLength: 40,
      batchSize: 16,
      model: { units: 32, embeddingDim: 16, dropout: 0.1 },
    };
    const straight = await trainLanguageModel(text.slice(0, 6000), options);
    const dir = await tempDir();
    const first = await trainLanguageModel(text.slice(0, 6000), {
      ...options,
      epochs: 1,
      checkpoint: {
        save: async (state) => {
          await saveCheckpoint(dir, state);
        },
      },
    });
    first.dispose();
    const checkpoint = await loadCheckpoint(dir);
    expect(checkpoint.epoch).toBe(1);
    expect((checkpoint.state.extra as { vocabulary: { tokens: string[] } }).vocabulary.tokens).toEqual(
      straight.vocabulary.tokens,
    );
    const resumed = await trainLanguageModel(text.slice(0, 6000), { ...options, resumeFrom: checkpoint.state });
    checkpoint.dispose();
    expect(resumed.validationLoss).toEqual(straight.validationLoss);
    expect(resumed.history.history.loss).toEqual(straight.history.history.loss);
    const a = straight.model.getWeights().map((w) => Array.from(w.dataSync()));
    const b = resumed.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b).toEqual(a);
    resumed.dispose();

    // Another text, or another model, is refused before anything trains.
    const again = await loadCheckpoint(dir);
    await expect(
      trainLanguageModel(`${text.slice(0, 6000)}§`, { ...options, resumeFrom: again.state, source: 'other.txt' }),
    ).rejects.toThrow(
      /^other\.txt: is not the text the checkpoint was trained on: its vocabulary has \d+ tokens, the checkpoint's \d+ \(new: "§"\)/,
    );
    await expect(
      trainLanguageModel(text.slice(0, 6000), { ...options, model: { units: 64 }, resumeFrom: again.state }),
    ).rejects.toThrow(/option 'model' .*units":64.*allowed: the checkpoint's model/);
    again.dispose();
    straight.dispose();
  }, 120_000);
});

describe('what a language model refuses', () => {
  it('a text too short for one window of each split, or one that is binary, naming the minimum', () => {
    const minimum = minimumCorpusLength(100, 0.1);
    expect(minimum).toBe(1010);
    expect(() => prepareCorpus('x'.repeat(minimum - 1), { sequenceLength: 100, source: 'tiny.txt' })).toThrow(
      'tiny.txt: has 1009 characters; a language model with sequence length 100 needs at least 1010: one window of 100 + 1 to train on and one in the last 10% to validate on',
    );
    expect(() => prepareCorpus('x'.repeat(minimum), { sequenceLength: 100 })).not.toThrow();
    expect(() => prepareCorpus(`abc\u0000${'x'.repeat(2000)}`, { sequenceLength: 10, source: 'a.bin' })).toThrow(
      'a.bin: has a NUL character at character 3: a binary file, not text; give a UTF-8 text file',
    );
    const error = (() => {
      try {
        prepareCorpus('short', { sequenceLength: 10 });
      } catch (e) {
        return e;
      }
    })();
    expect(DataFormatError.isInstance(error)).toBe(true);
  });

  it('sampling options out of range, naming the option and what is allowed', async () => {
    const vocabulary = CharVocabulary.fromText('abc ');
    const model = charLanguageModel({ vocabularySize: vocabulary.size, units: 4, embeddingDim: 2, rng: createRng(1) });
    const generator = CharGenerator.fromModel(model, vocabulary);
    const base = { prompt: 'ab', length: 5, seed: 1 };
    const cases: [object, string][] = [
      [{ temperature: 0 }, "option 'temperature' is 0; allowed: a number > 0 (for greedy text, topK: 1)"],
      [{ temperature: -1 }, "option 'temperature' is -1; allowed: a number > 0"],
      [{ topK: 0 }, "option 'topK' is 0; allowed: an integer >= 1"],
      [{ topP: 0 }, "option 'topP' is 0; allowed: a number in (0, 1]"],
      [{ topP: 1.5 }, "option 'topP' is 1.5; allowed: a number in (0, 1]"],
      [{ length: 0 }, "option 'length' is 0; allowed: an integer from 1 to 10000000"],
      [
        { prompt: 'abXYX' },
        `option 'prompt' is 'abXYX'; allowed: characters of the model's vocabulary; "X" (U+0058), "Y" (U+0059) are not in it (dropUnknown skips them)`,
      ],
    ];
    for (const [options, message] of cases) {
      const error = await generator.generate({ ...base, ...options }).catch((e: unknown) => e);
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    const dropped = await generator.generate({ ...base, prompt: 'abXYX', dropUnknown: true });
    expect([dropped.prompt, dropped.dropped, dropped.text.length]).toEqual(['ab', 3, 5]);
    await expect(generator.generate({ ...base, prompt: 'XY', dropUnknown: true })).rejects.toThrow(
      'at least one character of the vocabulary',
    );
    generator.dispose();
    await expect(generator.generate(base)).rejects.toThrow('used after dispose()');

    // A vocabulary from another run is refused, naming both sizes.
    expect(() => CharGenerator.fromModel(model, CharVocabulary.fromText('abcdef'))).toThrow(
      "the vocabulary has 7 tokens but the model's Embedding takes 5: they are not from the same run",
    );
    model.dispose();
  });

  it('draws with temperature, top-k and top-p as defined', () => {
    const logits = [0, 2, 1, 0.5, -1]; // index 0 is padding, never drawn
    const draw = (options: object, n = 4000) => {
      const rng = createRng(5);
      const counts = [0, 0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        const k = sampleFromLogits(logits, options, rng);
        counts[k] = (counts[k] as number) + 1;
      }
      return counts.map((c) => c / n);
    };
    expect(draw({ topK: 1 })).toEqual([0, 1, 0, 0, 0]);
    const plain = draw({});
    expect(plain[0]).toBe(0);
    const p = [2, 1, 0.5, -1].map(Math.exp);
    const total = p.reduce((a, b) => a + b);
    expect(plain[1]).toBeCloseTo((p[0] as number) / total, 1);
    // Low temperature sharpens, high flattens.
    expect((draw({ temperature: 0.3 })[1] as number) > (plain[1] as number)).toBe(true);
    expect((draw({ temperature: 3 })[4] as number) > (plain[4] as number)).toBe(true);
    // Top-2 never draws the third likeliest; top-p 0.5 keeps only the likeliest here (p₁ ≈ 0.57).
    expect(draw({ topK: 2 }).slice(3)).toEqual([0, 0]);
    expect(draw({ topP: 0.5 })).toEqual([0, 1, 0, 0, 0]);
  });

  it('the unigram entropy of a text with two equally common characters is ln 2', () => {
    expect(unigramEntropy(Int32Array.from([1, 2, 1, 2]), 3)).toBeCloseTo(Math.log(2), 10);
  });
});
