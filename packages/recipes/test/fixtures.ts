import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '@neurona/core';
import sharp from 'sharp';

/**
 * A small Dogs-vs-Cats-shaped folder of real JPEGs (train/, validation/, test/, each with
 * cats/ and dogs/): "cats" are horizontal stripes, "dogs" vertical ones, in random colours,
 * phases and widths, with noise — a task a CNN, or features from a pretrained base, can learn.
 */
export async function stripesFolder(
  dir: string,
  counts: { train: number; validation: number; test: number },
  size = 64,
  seed = 1,
) {
  const rng = createRng(seed);
  for (const [part, count] of Object.entries(counts)) {
    for (const [label, cls] of ['cats', 'dogs'].entries()) {
      const folder = join(dir, part, cls);
      await mkdir(folder, { recursive: true });
      for (let n = 0; n < count; n++) {
        const period = 6 + rng.int(10);
        const phase = rng.int(period);
        const a = [rng.int(256), rng.int(256), rng.int(256)];
        const b = a.map((v) => (v + 96 + rng.int(64)) % 256);
        const pixels = Buffer.alloc(size * size * 3);
        for (let y = 0; y < size; y++) {
          for (let x = 0; x < size; x++) {
            const along = label === 0 ? y : x;
            const colour = Math.floor((along + phase) / (period / 2)) % 2 === 0 ? a : b;
            for (let c = 0; c < 3; c++) {
              const noise = rng.int(41) - 20;
              pixels[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, (colour[c] as number) + noise));
            }
          }
        }
        await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
          .jpeg({ quality: 90 })
          .toFile(join(folder, `${cls}.${n}.jpg`));
      }
    }
  }
  return dir;
}
