import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neurona, startNeurona } from './neurona.js';

let root: string;
/** A complete 2-epoch ch13-moby-dick --quick run (GRU 32, windows of 50) on wasm, trained once. */
let straight: string;
const small = ['--quick', '--epochs', '2', '--units', '32', '--seq-length', '50', '--backend', 'wasm'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'neurona-text-'));
  straight = join(root, 'straight');
  const done = await neurona('train', 'ch13-moby-dick', ...small, '--out', straight);
  expect(done.code, done.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('neurona train ch13-… and generate text', () => {
  it('writes the model, its vocabulary, the loss curves, a sample and a summary with both baselines', async () => {
    expect((await readdir(straight)).sort()).toEqual(
      [
        'checkpoints',
        'history.json',
        'history.png',
        'history.svg',
        'model.json',
        'run.json',
        'sample.txt',
        'summary.json',
        'vocabulary.json',
        'weights.bin',
      ].sort(),
    );
    const summary = await json(join(straight, 'summary.json'));
    expect(summary).toMatchObject({ recipe: 'ch13-moby-dick', kind: 'text', epochsRun: 2, backend: 'wasm' });
    expect(summary.settings).toMatchObject({ units: 32, sequenceLength: 50, cell: 'gru' });
    expect(summary.data).toMatchObject({ name: 'moby-dick', characters: 100_000, train: 90_000, validation: 10_000 });
    expect(summary.validationLoss).toBeLessThan(summary.baselines.untrainedModel);
    expect(summary.validationBitsPerCharacter).toBeCloseTo(summary.validationLoss / Math.LN2, 10);
    expect(summary.trainCharactersPerSec).toBeGreaterThan(0);
    expect((await readFile(join(straight, 'sample.txt'), 'utf8')).startsWith('Call me ')).toBe(true);
  });

  it('generate text streams the continuation to stdout, the same for the same random seed', async () => {
    const args = ['generate', 'text', '--model', straight, '--seed', 'Call me', '--length', '60', '--random-seed', '3'];
    const [a, b] = [await neurona(...args), await neurona(...args)];
    expect(a.code, a.stderr).toBe(0);
    expect(Array.from(a.stdout.replace(/^Call me/, '').replace(/\n$/, ''))).toHaveLength(60);
    expect(a.stdout.startsWith('Call me')).toBe(true);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stderr).toMatch(/60 characters in [\d.]+ s \([\d,]+ characters\/s\), temperature 1, random seed 3/);
    const other = await neurona(...args.slice(0, -1), '4');
    expect(other.stdout).not.toBe(a.stdout);

    const unknown = await neurona('generate', 'text', '--model', straight, '--seed', 'Call me ¶§', '--length', '5');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'neurona: --seed "Call me ¶§" has characters the model never saw: "¶", "§"; change the seed, or add --drop-unknown to skip them',
    );
    const dropped = await neurona(
      'generate',
      'text',
      '--model',
      straight,
      '--seed',
      'Call me ¶§',
      '--length',
      '5',
      '--drop-unknown',
    );
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stderr).toContain('2 seed characters not in the vocabulary skipped');
    const temperature = await neurona('generate', 'text', '--model', straight, '--temperature', '0');
    expect(temperature.stderr).toContain("option '--temperature <t>' argument '0' is invalid. must be a number > 0");
    const topP = await neurona('generate', 'text', '--model', straight, '--top-p', '0');
    expect(topP.stderr).toContain("argument '0' is invalid. must be a number in (0, 1]");
    const length = await neurona('generate', 'text', '--model', straight, '--length', '0');
    expect(length.stderr).toContain("option '--length <n>' argument '0' is invalid");
  }, 60_000);

  it('Ctrl-C after epoch 1 and --resume end with the weights and history of the uninterrupted run', async () => {
    const out = join(root, 'interrupted');
    const run = startNeurona('train', 'ch13-moby-dick', ...small, '--out', out);
    await run.waitFor(/Epoch 1\/2 - \d+\/\d+ /);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`resume with: neurona train --resume ${out}`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const changed = await neurona('train', '--resume', out, '--units', '64');
    expect(changed.stderr.trim()).toBe(
      `neurona: --resume goes on with the run's own settings (from ${join(out, 'run.json')}); drop --units`,
    );
    const resumed = await neurona('train', '--resume', out, '--backend', 'wasm');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming .* from its checkpoint at epoch 1/);
    expect(
      Buffer.compare(await readFile(join(out, 'weights.bin')), await readFile(join(straight, 'weights.bin'))),
    ).toBe(0);
    expect(await json(join(out, 'history.json'))).toEqual(await json(join(straight, 'history.json')));
    expect(await readFile(join(out, 'vocabulary.json'), 'utf8')).toBe(
      await readFile(join(straight, 'vocabulary.json'), 'utf8'),
    );
    const [a, b] = [await json(join(out, 'summary.json')), await json(join(straight, 'summary.json'))];
    expect(a.validationLoss).toBe(b.validationLoss);
    expect(a.resumedFrom.epoch).toBe(1);
  }, 120_000);

  it('refuses a binary or too-short --text, the options of the other kind of recipe, and a run that is not a text run', async () => {
    await writeFile(join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    const binary = await neurona(
      'train',
      'ch13-moby-dick',
      '--text',
      join(root, 'image.png'),
      '--out',
      join(root, 'b'),
    );
    expect(binary.code).toBe(1);
    expect(binary.stderr.trim()).toBe(
      `neurona: ${join(root, 'image.png')}: has a NUL byte at offset 4: a binary file, not text; give a UTF-8 text file`,
    );
    expect(existsSync(join(root, 'b'))).toBe(false);
    await writeFile(join(root, 'short.txt'), 'To be, or not to be, that is the question.\n');
    const short = await neurona(
      'train',
      'ch13-shakespeare',
      '--text',
      join(root, 'short.txt'),
      '--out',
      join(root, 's'),
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain(
      `${join(root, 'short.txt')}: has 43 characters; a language model with sequence length 100 needs at least 1010`,
    );
    const units = await neurona('train', 'ch05-dense', '--units', '64');
    expect(units.stderr.trim()).toBe(
      "neurona: --units is for the chapter-13 text recipes (ch13-one-hot, ch13-embedding, ch13-shakespeare, ch13-moby-dick); 'ch05-dense' does not take it",
    );
    const dataDir = await neurona('train', 'ch13-moby-dick', '--data-dir', root);
    expect(dataDir.stderr.trim()).toBe(
      "neurona: --data-dir is for the image and GAN recipes; 'ch13-moby-dick' trains on text: give your own with --text FILE",
    );
    const cell = await neurona('train', 'ch13-moby-dick', '--cell', 'rnn');
    expect(cell.stderr).toContain("option '--cell <cell>' argument 'rnn' is invalid. must be gru or lstm");

    const dense = join(root, 'dense');
    expect((await neurona('train', 'ch05-dense', '--quick', '--backend', 'cpu', '--out', dense)).code).toBe(0);
    const notText = await neurona('generate', 'text', '--model', dense);
    expect(notText.stderr.trim()).toBe(
      `neurona: --model ${dense} is a run of 'ch05-dense', which does not write text; train one with neurona train ch13-moby-dick (or ch13-shakespeare, --text FILE)`,
    );
  }, 120_000);
});
