import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { animatedGif, imageGridPng } from '../src/node.js';

const solid = (value: number) => ({ data: new Uint8Array(2 * 3 * 1).fill(value), height: 2, width: 3, channels: 1 });

describe('imageGridPng', () => {
  it('lays images out in rows with gaps and encodes a PNG of the right size', async () => {
    const png = await imageGridPng([solid(10), solid(20), solid(30)], { columns: 2, gap: 1, background: 0 });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 7, 5, 1]);
    const { data } = await sharp(png).grayscale().raw().toBuffer({ resolveWithObject: true });
    // Row 0: image 10, gap, image 20; row 2 is a gap; row 3: image 30, then background.
    expect(Array.from(data.subarray(0, 7))).toEqual([10, 10, 10, 0, 20, 20, 20]);
    expect(Array.from(data.subarray(14, 21))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(data.subarray(21, 28))).toEqual([30, 30, 30, 0, 0, 0, 0]);
  });

  it('refuses images of different sizes, naming which', async () => {
    const odd = { data: new Uint8Array(4), height: 2, width: 2, channels: 1 };
    await expect(imageGridPng([solid(1), odd])).rejects.toThrow(
      'imageGridPng: image 1 is 2×2×1, image 0 is 2×3×1; all must match',
    );
    await expect(imageGridPng([])).rejects.toThrow('imageGridPng: no images to lay out');
  });
});

describe('animatedGif', () => {
  it('joins grids into a looping GIF, one frame each, the last held longer', async () => {
    const frames = await Promise.all([40, 120, 200].map((v) => imageGridPng([solid(v), solid(v)], { columns: 2 })));
    const gif = await animatedGif(frames, { delayMs: 300, lastDelayMs: 1500 });
    const meta = await sharp(gif, { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.loop, meta.width, meta.pageHeight]).toEqual(['gif', 3, 0, 8, 2]);
    expect(meta.delay).toEqual([300, 300, 1500]);
    // Frame 2 shows the third grid's grey (GIF's palette keeps an exact grey).
    const { data } = await sharp(gif, { page: 2 }).grayscale().raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBe(200);
    await expect(animatedGif([])).rejects.toThrow('animatedGif: no frames to animate');
    await expect(animatedGif(frames, { delayMs: -1 })).rejects.toThrow(
      "animatedGif: option 'delayMs' is -1; allowed: an integer from 0 to 65535 (milliseconds)",
    );
  });
});
