// Node-only loaders: files on disk, downloads, native zlib and image decoding. The code lives
// in src/node/; this entry lists what a user calls.

export { extractCifarArchive, loadCifar10, loadCifar10Folder } from './node/cifar.js';
export type { DogsVsCatsSplitOptions } from './node/dogs-vs-cats.js';
export { extractDogsVsCats, makeDogsVsCatsSplit } from './node/dogs-vs-cats.js';
export type { DownloadOptions } from './node/download.js';
export { downloadFile, sha256File } from './node/download.js';
export {
  bundledTablePath,
  debianFashionMnistDir,
  fashionMnistSampleDir,
  loadAutoMpg,
  loadBostonHousing,
  loadFashionMnistSample,
  loadIdxDataset,
  loadIdxFolder,
  loadTable,
  readIdxFile,
} from './node/files.js';
export type { RawImage, ReadImageOptions } from './node/image-file.js';
export { readImage } from './node/image-file.js';
export type { Located, LocateOptions, SourceKind } from './node/sources.js';
export { defaultCacheDir, locateDataset } from './node/sources.js';
export { loadText } from './node/text.js';
