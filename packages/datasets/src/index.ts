export type { DataLocation, NeuronaErrorOptions } from '@neurona/errors';
export {
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  isMarked,
  MissingPackageError,
  NeuronaError,
  UnknownNameError,
} from '@neurona/errors';
export { ChecksumError, verifySha256 } from './checksum.js';
export type { FetchSampleOptions } from './fashion-mnist.js';
export { fashionMnistSample, fetchFashionMnistSample } from './fashion-mnist.js';
export type { FetchVerifiedOptions } from './fetch-cache.js';
export { fetchIdxDataset, fetchVerified } from './fetch-cache.js';
export {
  CIFAR_RECORD_BYTES,
  CifarFormatError,
  cifar10ClassNames,
  concatImageSets,
  parseCifarBatch,
} from './formats/cifar.js';
export type { IdxArray, IdxType } from './formats/idx.js';
export { encodeIdxUint8, IdxFormatError, parseIdx } from './formats/idx.js';
export type { BundledTable, TableRow } from './formats/tables.js';
export { bundledTables, CsvFormatError, fetchTable, parseBundledTable, parseCsv } from './formats/tables.js';
export type { ImageSet, LabelledSplit } from './image-set.js';
export { imageSetFromIdx } from './image-set.js';
export { fashionMnistClassNames, idxFileNames, mnistClassNames, readIdxSplits } from './mnist-family.js';
export type { DatasetEntry, DatasetFile } from './registry.js';
export { getDataset, registry } from './registry.js';
export type { RandomSource, Toy2d, Toy2dName, Toy2dOptions } from './toy-2d.js';
export { toy2d, toy2dNames } from './toy-2d.js';
