import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng, DataFormatError } from '@neurona/core';
import { useBackend } from '@neurona/core/node';
import { CharVocabulary, WordVocabulary } from '@neurona/preprocessing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CharGenerator,
  charLanguageModel,
  embeddingFromVectors,
  parseGloveLines,
  setEmbeddingVectors,
} from '../src/index.js';
import { loadCharModel, readGloveFile, readTextFile, saveCharModel } from '../src/node.js';

let dir = '';
beforeAll(async () => {
  await useBackend('cpu', { log: false });
  dir = await mkdtemp(join(tmpdir(), 'neurona-glove-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GLOVE = ['the 0.1 0.2 -0.3', 'whale 1 -1 0.5', 'sea 0.25 0.5 0.75', 'ship -0.5 0 1e-1', ''].join('\n');

describe('pretrained word vectors (book 13.2), from the GloVe text format', () => {
  it('reads a plain and a gzip file alike, keeps the vocabulary words, and fills an Embedding, frozen', async () => {
    await writeFile(join(dir, 'glove.3d.txt'), GLOVE);
    await writeFile(join(dir, 'glove.3d.txt.gz'), gzipSync(GLOVE));
    const vocabulary = WordVocabulary.fromTexts(['the whale and the sea, the whale']);
    const words = new Set(vocabulary.tokens);
    const plain = await readGloveFile(join(dir, 'glove.3d.txt'), { words });
    const gzip = await readGloveFile(join(dir, 'glove.3d.txt.gz'), { words });
    expect(plain.dimension).toBe(3);
    expect(plain.lines).toBe(4);
    expect([...plain.vectors.keys()].sort()).toEqual(['sea', 'the', 'whale']);
    expect([...gzip.vectors]).toEqual([...plain.vectors]);

    const before = tf.memory().numTensors;
    const { matrix, found, missing, report } = embeddingFromVectors(vocabulary.tokens, plain, { rng: createRng(1) });
    // Tokens: <pad>, <oov>, the, whale, and, sea — reserved ids 0 and 1 are not words.
    expect(vocabulary.tokens).toEqual(['<pad>', '<oov>', 'the', 'whale', 'and', 'sea']);
    const rows = matrix.arraySync();
    expect(rows[3]).toEqual([1, -1, 0.5]);
    expect(rows[0]).toEqual([0, 0, 0]);
    expect(found).toBe(3);
    expect(missing).toEqual(['<oov>', 'and']);
    expect(report).toMatch(
      /^3 of 5 vocabulary words found in .*glove\.3d\.txt \(60\.0%\); 2 missing, initialised from N\(0, 0\.\d+²\)/,
    );
    expect(rows[4]?.some((v) => v !== 0)).toBe(true);

    const embedding = tf.layers.embedding({ inputDim: vocabulary.size, outputDim: 3 });
    const model = tf.sequential({ layers: [embedding] });
    model.build([null, 4]);
    setEmbeddingVectors(embedding, matrix, { trainable: false });
    expect(embedding.trainable).toBe(false);
    expect((embedding.getWeights()[0] as tf.Tensor).arraySync()).toEqual(rows);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the file and the line of a vector of another size or a value that is not a number', async () => {
    await writeFile(join(dir, 'ragged.txt'), 'the 0.1 0.2 0.3\nwhale 1 2\n');
    await expect(readGloveFile(join(dir, 'ragged.txt'))).rejects.toThrow(
      /ragged\.txt, line 2: 'whale' has 2 numbers, expected 3 \(as the first line\)$/,
    );
    await expect(readGloveFile(join(dir, 'glove.3d.txt'), { dimension: 50 })).rejects.toThrow(
      /glove\.3d\.txt, line 1: 'the' has 3 numbers, expected 50 \(the Embedding size asked for\)$/,
    );
    expect(() => parseGloveLines(['a 1 2', 'b 1 x'], { file: 'v.txt' })).toThrow(
      "v.txt, line 2: value 2 of 'b' is 'x', not a number",
    );
    const error = await readGloveFile(join(dir, 'nope.txt')).catch((e: unknown) => e);
    expect(DataFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/nope\.txt: no such file$/);

    const vectors = parseGloveLines(['the 1 2 3'], { file: 'v.txt' });
    const embedding = tf.layers.embedding({ inputDim: 4, outputDim: 8, name: 'words' });
    tf.sequential({ layers: [embedding] }).build([null, 2]);
    const { matrix } = embeddingFromVectors(['<pad>', 'the', 'a', 'b'], vectors, { rng: createRng(1) });
    expect(() => setEmbeddingVectors(embedding, matrix, { trainable: true })).toThrow(
      "the word vectors: make a [4,3] matrix but the Embedding layer 'words' has [4,8] weights (input_dim × output_dim): the vector size must equal output_dim",
    );
    expect(matrix.isDisposed).toBe(true);
  });
});

describe('a trained character model on disk', () => {
  it('saves as model.json, weights.bin and vocabulary.json, and loads back to the same generator', async () => {
    const vocabulary = CharVocabulary.fromText('call me ishmael.');
    const model = charLanguageModel({ vocabularySize: vocabulary.size, units: 8, embeddingDim: 4, rng: createRng(3) });
    const out = join(dir, 'run');
    await saveCharModel(out, model, vocabulary);
    const loaded = await loadCharModel(out);
    expect(loaded.vocabulary.tokens).toEqual(vocabulary.tokens);
    const a = CharGenerator.fromModel(model, vocabulary);
    const b = CharGenerator.fromModel(loaded.model, loaded.vocabulary);
    const options = { prompt: 'call', length: 30, seed: 9, temperature: 0.9 };
    expect((await b.generate(options)).text).toBe((await a.generate(options)).text);
    a.dispose();
    b.dispose();
    loaded.model.dispose();

    await writeFile(join(out, 'vocabulary.json'), JSON.stringify(CharVocabulary.fromText('abc').toJSON()));
    await expect(loadCharModel(out)).rejects.toThrow(
      /vocabulary\.json: the vocabulary has 4 tokens but the model's Embedding takes 11: they are not from the same run$/,
    );
    await rm(join(out, 'vocabulary.json'));
    await expect(loadCharModel(out)).rejects.toThrow(/run: has a model\.json but no vocabulary\.json/);
    await expect(loadCharModel(join(dir, 'nothing'))).rejects.toThrow(/nothing: has no model\.json/);
    model.dispose();
  });

  it('reads UTF-8 text and refuses a binary or non-UTF-8 file, naming it', async () => {
    await writeFile(join(dir, 'ok.txt'), '\uFEFFÁrbol y mar — 海');
    expect(await readTextFile(join(dir, 'ok.txt'))).toBe('Árbol y mar — 海');
    await writeFile(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await expect(readTextFile(join(dir, 'image.png'))).rejects.toThrow(
      /image\.png: has a NUL byte at offset 8: a binary file, not text; give a UTF-8 text file$/,
    );
    await writeFile(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await expect(readTextFile(join(dir, 'latin1.txt'))).rejects.toThrow(/latin1\.txt: is not UTF-8 text/);
  });
});
