export { ChecksumError, sha256Hex, verifySha256 } from './checksum.js';
export { CIFAR_RECORD_BYTES, CifarFormatError, cifar10ClassNames, concatImageSets, parseCifarBatch } from './cifar.js';
export type { FetchSampleOptions } from './fashion-mnist.js';
export {
  fashionMnistClassNames,
  fashionMnistSample,
  fetchFashionMnistSample,
  idxFileNames,
  mnistClassNames,
  readIdxSplits,
} from './fashion-mnist.js';
export type { FetchVerifiedOptions } from './fetch-cache.js';
export { fetchIdxDataset, fetchVerified } from './fetch-cache.js';
export { DataFormatError } from './format-error.js';
export { gunzip, isGzip } from './gunzip.js';
export type { IdxArray, IdxType } from './idx.js';
export { encodeIdxUint8, IdxFormatError, parseIdx } from './idx.js';
export type { ImageSet, LabelledSplit } from './image-set.js';
export { imageSetFromIdx } from './image-set.js';
export type { DatasetEntry, DatasetFile } from './registry.js';
export { getDataset, registry } from './registry.js';
export type { BundledTable, TableRow } from './tables.js';
export { bundledTables, CsvFormatError, fetchTable, parseBundledTable, parseCsv } from './tables.js';
export type { RandomSource, Toy2d, Toy2dName, Toy2dOptions } from './toy-2d.js';
export { toy2d, toy2dNames } from './toy-2d.js';
