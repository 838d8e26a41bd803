import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImage } from '../src/node.js';

/** A 3×4 RGB image whose pixels are distinct: (10·row + column, 100 + column, 200 − row). */
function pixels() {
  const data = new Uint8Array(3 * 4 * 3);
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 4; x++) data.set([10 * y + x, 100 + x, 200 - y], (y * 4 + x) * 3);
  }
  return data;
}

describe('readImage', () => {
  it('decodes a PNG exactly and a JPEG closely, channels last', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-img-'));
    const raw = { raw: { width: 4, height: 3, channels: 3 as const } };
    await sharp(Buffer.from(pixels()), raw).png().toFile(join(dir, 'a.png'));
    await sharp(Buffer.from(pixels()), raw).jpeg({ quality: 100 }).toFile(join(dir, 'a.jpg'));
    const png = await readImage(join(dir, 'a.png'));
    expect([png.height, png.width, png.channels]).toEqual([3, 4, 3]);
    expect(Array.from(png.data)).toEqual(Array.from(pixels()));
    const jpg = await readImage(join(dir, 'a.jpg'));
    const error = Math.max(...Array.from(jpg.data, (v, i) => Math.abs(v - (pixels()[i] as number))));
    expect(error).toBeLessThan(12);
    const gray = await readImage(join(dir, 'a.png'), { channels: 1 });
    expect([gray.height, gray.width, gray.channels, gray.data.length]).toEqual([3, 4, 1, 12]);
  });

  it('names a file that is not an image, and one that is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neurona-img-'));
    await writeFile(join(dir, 'cat.1.jpg'), 'not a jpeg at all');
    await expect(readImage(join(dir, 'cat.1.jpg'))).rejects.toThrow(`${join(dir, 'cat.1.jpg')}: not a readable image`);
    await expect(readImage(join(dir, 'none.png'))).rejects.toThrow(`${join(dir, 'none.png')}: file not found`);
    await expect(readImage(join(dir, 'cat.1.jpg'), { channels: 2 as 3 })).rejects.toThrow(
      "readImage: option 'channels' is 2; allowed: 1, 3",
    );
  });
});
