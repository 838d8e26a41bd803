// Test fixtures shared by the packages' and apps' tests.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** A seeded generator of integers in [0, n) (Park–Miller), enough for fixtures. */
function seeded(seed) {
  let state = (seed % 2147483646) + 1;
  return (n) => {
    state = (state * 48271) % 2147483647;
    return state % n;
  };
}

/**
 * A small Dogs-vs-Cats-shaped folder of real JPEGs (train/, validation/, test/, each with
 * cats/ and dogs/): "cats" are horizontal stripes, "dogs" vertical ones, in random colours,
 * phases and widths, with noise — a task a CNN, or features from a pretrained base, can learn.
 */
export async function stripesFolder(dir, counts, size = 64, seed = 1) {
  const int = seeded(seed);
  for (const [part, count] of Object.entries(counts)) {
    for (const [label, cls] of ['cats', 'dogs'].entries()) {
      const folder = join(dir, part, cls);
      await mkdir(folder, { recursive: true });
      for (let n = 0; n < count; n++) {
        const period = 6 + int(10);
        const phase = int(period);
        const a = [int(256), int(256), int(256)];
        const b = a.map((v) => (v + 96 + int(64)) % 256);
        const pixels = Buffer.alloc(size * size * 3);
        for (let y = 0; y < size; y++) {
          for (let x = 0; x < size; x++) {
            const along = label === 0 ? y : x;
            const colour = Math.floor((along + phase) / (period / 2)) % 2 === 0 ? a : b;
            for (let c = 0; c < 3; c++) {
              pixels[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, colour[c] + int(41) - 20));
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
