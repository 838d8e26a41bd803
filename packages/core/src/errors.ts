// The error family lives in @neurona/errors (no dependencies, so that datasets and viz, which
// install without core, throw the same classes); core's users get it from here as well.
export {
  DataFormatError,
  type DataLocation,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  isMarked,
  MissingPackageError,
  NeuronaError,
  type NeuronaErrorOptions,
  UnknownNameError,
} from '@neurona/errors';
