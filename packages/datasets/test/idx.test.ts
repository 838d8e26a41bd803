import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdxUint8, parseIdx } from '../src/index.js';
import { loadIdxFolder, readIdxFile } from '../src/node.js';

/** Five 3×2 images whose pixels are their index, and five labels. */
function fixture(count = 5) {
  const pixels = Uint8Array.from({ length: count * 6 }, (_, i) => i % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { images: encodeIdxUint8([count, 3, 2], pixels), labels: encodeIdxUint8([count], labels), pixels };
}

async function folder(files: Record<string, Uint8Array>) {
  const dir = await mkdtemp(join(tmpdir(), 'neurona-idx-'));
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  return dir;
}

describe('parseIdx', () => {
  it('reads the header and the uint8 values of a real-shaped file', () => {
    const { images, pixels } = fixture();
    const parsed = parseIdx(images, 'images.idx');
    expect(parsed.type).toBe('uint8');
    expect(parsed.shape).toEqual([5, 3, 2]);
    expect(Array.from(parsed.data)).toEqual(Array.from(pixels));
  });

  it('reads big-endian int32 and float32 arrays', () => {
    const bytes = new Uint8Array(4 + 4 + 8);
    const view = new DataView(bytes.buffer);
    bytes.set([0, 0, 0x0c, 1]);
    view.setUint32(4, 2);
    view.setInt32(8, -7);
    view.setInt32(12, 65536);
    expect(Array.from(parseIdx(bytes).data)).toEqual([-7, 65536]);
    bytes[2] = 0x0d;
    view.setFloat32(8, 1.5);
    view.setFloat32(12, -0.25);
    expect(Array.from(parseIdx(bytes).data)).toEqual([1.5, -0.25]);
  });

  it('names the file and what is wrong for every malformed input', () => {
    const { images } = fixture();
    const wrongMagic = images.slice();
    wrongMagic[0] = 0x12;
    expect(() => parseIdx(wrongMagic, 'a.idx')).toThrow(
      'a.idx: wrong magic number 0x12000803: an IDX file starts with two zero bytes, a type byte and a rank byte',
    );
    const wrongType = images.slice();
    wrongType[2] = 0x07;
    expect(() => parseIdx(wrongType, 'a.idx')).toThrow('a.idx: unknown IDX type byte 0x07');
    expect(() => parseIdx(images.subarray(0, images.length - 1), 'a.idx')).toThrow(
      'a.idx: is truncated: the header says shape [5, 3, 2] of uint8 (46 bytes) but the file has 45',
    );
    expect(() => parseIdx(images.subarray(0, 10), 'a.idx')).toThrow('a.idx: is truncated inside its header: 10 bytes');
    expect(() => parseIdx(new Uint8Array([0, 0]), 'a.idx')).toThrow('a.idx: is truncated: 2 bytes');
    const longer = new Uint8Array(images.length + 3);
    longer.set(images);
    expect(() => parseIdx(longer, 'a.idx')).toThrow('a.idx: has 3 bytes after the shape [5, 3, 2] its header declares');
    expect(() => parseIdx(gzipSync(images), 'a.idx')).toThrow('a.idx: is still gzip-compressed');
  });
});

describe('IDX files on disk', () => {
  const names = {
    trainImages: 'train-images-idx3-ubyte.gz',
    trainLabels: 'train-labels-idx1-ubyte.gz',
    testImages: 't10k-images-idx3-ubyte.gz',
    testLabels: 't10k-labels-idx1-ubyte.gz',
  };

  it('reads a folder of gzipped files into image sets', async () => {
    const { images, labels, pixels } = fixture();
    const dir = await folder({
      [names.trainImages]: gzipSync(images),
      [names.trainLabels]: gzipSync(labels),
      [names.testImages]: images, // plain IDX is read as well
      [names.testLabels]: labels,
    });
    const data = await loadIdxFolder(dir);
    expect(data.train.count).toBe(5);
    expect([data.train.height, data.train.width, data.train.channels]).toEqual([3, 2, 1]);
    expect(Array.from(data.train.images)).toEqual(Array.from(pixels));
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a label file whose count differs from its image file, naming both', async () => {
    const five = fixture(5);
    const four = fixture(4);
    const dir = await folder({
      [names.trainImages]: gzipSync(five.images),
      [names.trainLabels]: gzipSync(four.labels),
      [names.testImages]: gzipSync(five.images),
      [names.testLabels]: gzipSync(five.labels),
    });
    await expect(loadIdxFolder(dir)).rejects.toThrow(
      `${join(dir, names.trainLabels)}: has 4 labels but ${join(dir, names.trainImages)} has 5 images`,
    );
  });

  it('names a truncated gzip file and a missing file', async () => {
    const { images } = fixture();
    const gz = gzipSync(images);
    const dir = await folder({ 'cut.gz': gz.subarray(0, gz.length - 6) });
    await expect(readIdxFile(join(dir, 'cut.gz'))).rejects.toThrow(
      `${join(dir, 'cut.gz')}: not valid gzip data or truncated`,
    );
    await expect(readIdxFile(join(dir, 'none.gz'))).rejects.toThrow(`${join(dir, 'none.gz')}: file not found`);
  });

  it('refuses a label outside the ten classes', async () => {
    const { images } = fixture();
    const dir = await folder({
      [names.trainImages]: images,
      [names.trainLabels]: encodeIdxUint8([5], Uint8Array.from([0, 1, 12, 3, 4])),
      [names.testImages]: images,
      [names.testLabels]: encodeIdxUint8([5], Uint8Array.from([0, 1, 2, 3, 4])),
    });
    await expect(loadIdxFolder(dir)).rejects.toThrow('label 12 at index 2 is outside 0..9');
  });
});
