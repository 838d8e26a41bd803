import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { neurona } from './neurona.js';

let dir: string;
let image: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neurona-augment-'));
  image = join(dir, 'square.png');
  // A 40×30 picture: a bright square on a dark ground, so transforms show.
  const data = new Uint8Array(30 * 40 * 3);
  for (let y = 8; y < 22; y++) for (let x = 12; x < 28; x++) data.fill(230, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3);
  await sharp(Buffer.from(data), { raw: { width: 40, height: 30, channels: 3 } })
    .png()
    .toFile(image);
});

describe('neurona augment preview', () => {
  const options = [
    '--rotation-range',
    '40',
    '--width-shift',
    '0.2',
    '--height-shift',
    '0.2',
    '--shear',
    '20',
    '--zoom',
    '0.2',
    '--horizontal-flip',
  ];

  it('writes a grid of the asked variants, the same for the same seed', async () => {
    const a = join(dir, 'a.png');
    const b = join(dir, 'b.png');
    const first = await neurona(
      'augment',
      'preview',
      image,
      '--out',
      a,
      ...options,
      '--count',
      '6',
      '--columns',
      '3',
      '--seed',
      '4',
    );
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`wrote 6 augmented variants of ${image} (40×30) to ${a} (`);
    await neurona('augment', 'preview', image, '--out', b, ...options, '--count', '6', '--columns', '3', '--seed', '4');
    const meta = await sharp(a).metadata();
    expect([meta.width, meta.height]).toEqual([3 * 40 + 2 * 2, 2 * 30 + 2]);
    expect(Buffer.compare(await readFile(a), await readFile(b))).toBe(0);
    // The variants differ from one another: the cells are not all the same picture.
    const { data } = await sharp(a).raw().toBuffer({ resolveWithObject: true });
    const cell = (i: number) => {
      const out: number[] = [];
      const left = (i % 3) * 42;
      const top = Math.floor(i / 3) * 32;
      for (let y = 0; y < 30; y++)
        for (let x = 0; x < 40; x++) out.push(data[((top + y) * 124 + left + x) * 3] as number);
      return out.join();
    };
    expect(new Set([0, 1, 2, 3, 4, 5].map(cell)).size).toBe(6);
  });

  it('refuses bad options before reading anything, naming them', async () => {
    const out = join(dir, 'never.png');
    const rotation = await neurona('augment', 'preview', image, '--out', out, '--rotation-range', '400');
    expect(rotation.code).toBe(1);
    expect(rotation.stderr.trim()).toBe(
      "neurona: augmentation: option 'rotationRange' is 400; allowed: a number in [0, 360] (set with --rotation-range)",
    );
    const fill = await neurona('augment', 'preview', image, '--out', out, '--fill-mode', 'mirror');
    expect(fill.stderr.trim()).toBe(
      "neurona: augmentation: option 'fillMode' is 'mirror'; allowed: nearest, constant, reflect, wrap (set with --fill-mode)",
    );
    const zoom = await neurona('augment', 'preview', image, '--out', out, '--zoom', '-0.2');
    expect(zoom.stderr).toContain("option '--zoom <r>' argument '-0.2' is invalid. must be a number >= 0");
    expect(existsSync(out)).toBe(false);
  });

  it('names an image that does not decode, and keeps an existing grid unless --force', async () => {
    const bad = join(dir, 'bad.jpg');
    await writeFile(bad, 'not an image');
    const broken = await neurona('augment', 'preview', bad, '--out', join(dir, 'x.png'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`neurona: ${bad}: not a readable image`);
    const existing = join(dir, 'existing.png');
    await writeFile(existing, 'earlier');
    const refused = await neurona('augment', 'preview', image, '--out', existing);
    expect(refused.stderr.trim()).toBe(
      `neurona: --out ${existing} already exists; pass --force to replace it, or choose another --out`,
    );
    expect(await readFile(existing, 'utf8')).toBe('earlier');
    const forced = await neurona('augment', 'preview', image, '--out', existing, '--force', '--count', '4');
    expect(forced.code).toBe(0);
    expect((await sharp(existing).metadata()).format).toBe('png');
  });

  it('shrinks a 12-megapixel photo before the backend, and bounds --count by the memory budget', async () => {
    const photo = join(dir, 'photo.jpg');
    await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg()
      .toFile(photo);
    const out = join(dir, 'photo-grid.png');
    const done = await neurona('augment', 'preview', photo, '--out', out, '--rotation-range', '30', '--count', '4');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('(512×384, shrunk from 4000×3000)');
    expect(await sharp(out).metadata()).toMatchObject({ width: 2 * 512 + 2, format: 'png' });
    const many = await neurona('augment', 'preview', photo, '--out', join(dir, 'many.png'), '--count', '100000');
    expect(many.code).toBe(1);
    expect(many.stderr.trim()).toBe(
      'neurona: --count 100000: 100000 variants of 512×384 would take 225000 MiB, over the 256 MiB budget for a preview; at most 113 at this size (or a smaller --size)',
    );
  });

  it('names a missing --out folder, a folder given as --out, and a --cval that is not a number', async () => {
    const missing = await neurona('augment', 'preview', image, '--out', join(dir, 'no', 'such', 'g.png'));
    expect(missing.stderr.trim()).toBe(
      `neurona: --out ${join(dir, 'no', 'such', 'g.png')}: the folder ${join(dir, 'no', 'such')} does not exist; create it or choose another --out`,
    );
    const folder = await neurona('augment', 'preview', image, '--out', dir, '--force');
    expect(folder.stderr.trim()).toBe(
      `neurona: --out ${dir} is a folder; give the PNG file to write, such as ${dir}/grid.png`,
    );
    const cval = await neurona('augment', 'preview', image, '--out', join(dir, 'c.png'), '--cval', 'abc');
    expect(cval.stderr).toContain("option '--cval <value>' argument 'abc' is invalid. must be a number");
  });
});
