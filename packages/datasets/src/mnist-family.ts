import { verifySha256 } from './checksum.js';
import { parseIdx } from './formats/idx.js';
import type { ImageSet, LabelledSplit } from './image-set.js';
import { imageSetFromIdx } from './image-set.js';

// What MNIST and Fashion-MNIST share: class names, the four IDX files, and reading them into
// splits. Both the browser fetch and the Node loaders use it.

/** Fashion-MNIST's ten classes, in label order. */
export const fashionMnistClassNames = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** MNIST's ten classes: the digits. */
export const mnistClassNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** The four IDX files of MNIST-style data sets, by split. */
export const idxFileNames = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

/** Reads the two splits from a function that returns a file's (possibly gzipped) bytes. */
export async function readIdxSplits(
  readFile: (name: string) => Promise<Uint8Array>,
  decompress: (bytes: Uint8Array, name: string) => Promise<Uint8Array>,
  options: {
    describe: (name: string) => string;
    checksums?: Partial<Record<string, string>>;
    classNames?: readonly string[];
  },
): Promise<LabelledSplit> {
  const classNames = options.classNames ?? fashionMnistClassNames;
  const load = async (name: string) => {
    const source = options.describe(name);
    const bytes = await decompress(await readFile(name), source);
    const expected = options.checksums?.[name];
    if (expected) await verifySha256(bytes, expected, source);
    return parseIdx(bytes, source);
  };
  const split = async (files: { images: string; labels: string }): Promise<ImageSet> => {
    const [images, labels] = await Promise.all([load(files.images), load(files.labels)]);
    return imageSetFromIdx(
      images,
      labels,
      { images: options.describe(files.images), labels: options.describe(files.labels) },
      10,
    );
  };
  const [train, test] = await Promise.all([split(idxFileNames.train), split(idxFileNames.test)]);
  return { train, test, classNames };
}
