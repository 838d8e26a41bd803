/**
 * The one error family every Neurona package throws (after vercel/ai's `AISDKError`): callers
 * branch on the class — with `isInstance`, which works across two copies of this package where
 * `instanceof` does not — and people read the message. Every class carries the data its message
 * was made from, so a program need not parse the words.
 *
 * This package has no dependencies, so that packages which install without `@neurona/core`
 * (datasets, viz) throw the same classes as the rest; core re-exports all of it.
 *
 * @packageDocumentation
 */

const NEURONA = Symbol.for('neurona.error');

/**
 * Whether `error` carries `marker` (a `Symbol.for` key set to `true`): how `isInstance` tells the
 * classes apart across copies of a package. For packages that add a class to the family: give it
 * a marker of its own and override `isInstance` with this, or it inherits its parent's.
 *
 * @example
 * ```ts
 * const LOST = Symbol.for('neurona.error.device-lost');
 * export class DeviceLostError extends NeuronaError {
 *   protected readonly [LOST] = true;
 *   static override isInstance(error: unknown): error is DeviceLostError {
 *     return isMarked(error, LOST);
 *   }
 * }
 * ```
 */
export function isMarked(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/** What every constructor of the family takes last. */
export interface NeuronaErrorOptions {
  /** The error that led to this one (a file system error, a failed `fetch`, a parser's error). */
  cause?: unknown;
}

/**
 * The base of every error a Neurona package throws on purpose. An error that is not one of these
 * is a bug (a broken invariant, an error from a library underneath): please report it.
 *
 * @example
 * ```ts
 * try { await fit(model, data, options) } catch (error) {
 *   if (InvalidOptionError.isInstance(error)) console.error(`fix '${error.option}': ${error.message}`);
 *   else if (NeuronaError.isInstance(error)) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class NeuronaError extends Error {
  protected readonly [NEURONA] = true;

  constructor(message: string, options: NeuronaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /** Whether `error` is a Neurona error, from this copy of the package or another. */
  static isInstance(error: unknown): error is NeuronaError {
    return isMarked(error, NEURONA);
  }
}

const INVALID_OPTION = Symbol.for('neurona.error.invalid-option');

/**
 * An option whose value is not allowed: names the function, the option, the value, and what is
 * allowed — `fit: option 'batchSize' is 0; allowed: an integer >= 1`.
 *
 * @example
 * ```ts
 * if (!(Number.isInteger(batchSize) && batchSize >= 1))
 *   throw new InvalidOptionError('fit', 'batchSize', batchSize, 'an integer >= 1');
 * ```
 */
export class InvalidOptionError extends NeuronaError {
  protected readonly [INVALID_OPTION] = true;

  constructor(
    /** Who was called, e.g. `'generateText'`; starts the message. */
    readonly where: string,
    /** The option's name as the API spells it (`'batchSize'`; the CLI maps it to its flag). */
    readonly option: string,
    readonly value: unknown,
    /** What is allowed, in words: `'a number > 0'`, `'gru, lstm'`. */
    readonly allowed: string,
    options: NeuronaErrorOptions = {},
  ) {
    super(`${where}: option '${option}' is ${describeValue(value)}; allowed: ${allowed}`, options);
  }

  static override isInstance(error: unknown): error is InvalidOptionError {
    return isMarked(error, INVALID_OPTION);
  }
}

const UNKNOWN_NAME = Symbol.for('neurona.error.unknown-name');

/**
 * A name that is not one of the known ones (a recipe, a model, a corpus, a backend): lists them —
 * `loadText: 'hamlet' is not a known text corpus; known: shakespeare, moby-dick`.
 */
export class UnknownNameError extends NeuronaError {
  protected readonly [UNKNOWN_NAME] = true;

  constructor(
    /** What kind of thing was named: `'recipe'`, `'corpus'`. */
    readonly kind: string,
    readonly given: string,
    readonly known: readonly string[],
    options: NeuronaErrorOptions & {
      /** Who was called; starts the message when given. */
      where?: string;
    } = {},
  ) {
    super(
      `${options.where ? `${options.where}: ` : ''}'${given}' is not a known ${kind}; known: ${known.join(', ')}`,
      options,
    );
  }

  static override isInstance(error: unknown): error is UnknownNameError {
    return isMarked(error, UNKNOWN_NAME);
  }
}

const INVALID_INPUT = Symbol.for('neurona.error.invalid-input');

/**
 * Data handed to a function (tensors, arrays, a model, a text) that it cannot work with: shapes
 * that do not match, labels out of range, too few rows, an uncompiled model —
 * `fit: x has 100 rows but y has 99`. `input` names the argument at fault.
 */
export class InvalidInputError extends NeuronaError {
  protected readonly [INVALID_INPUT] = true;

  constructor(
    /** Who was called; starts the message. */
    readonly where: string,
    /** The argument at fault, as the API names it: `'y'`, `'labels'`, `'images'`, `'model'`. */
    readonly input: string,
    /** What is wrong with it, in words. */
    detail: string,
    options: NeuronaErrorOptions = {},
  ) {
    super(`${where}: ${detail}`, options);
  }

  static override isInstance(error: unknown): error is InvalidInputError {
    return isMarked(error, INVALID_INPUT);
  }
}

const DATA_FORMAT = Symbol.for('neurona.error.data-format');

/** Where in a file a {@link DataFormatError} was found, when the format has such places. */
export interface DataLocation {
  /** 1-based line of a text format. */
  line?: number;
  /** 0-based record of a table or a binary batch. */
  row?: number;
  /** 0-based image of an image set. */
  image?: number;
}

/**
 * Data that is not what its format says (a bad magic number, a short file, a CSV row of the wrong
 * width, a checksum that differs): names the file — or URL, or what the data is — and the place
 * in it where the format has places. The message starts with them: `glove.txt, line 7: …`.
 */
export class DataFormatError extends NeuronaError {
  protected readonly [DATA_FORMAT] = true;

  constructor(
    /** The file, URL or data that is wrong. */
    readonly file: string,
    detail: string,
    readonly location: DataLocation = {},
    options: NeuronaErrorOptions = {},
  ) {
    super(`${file}${describeLocation(location)}: ${detail}`, options);
  }

  static override isInstance(error: unknown): error is DataFormatError {
    return isMarked(error, DATA_FORMAT);
  }
}

const FILE_NOT_FOUND = Symbol.for('neurona.error.file-not-found');

/**
 * A file or folder that is not there, or not of the kind needed (a file where a folder should be):
 * `path` names it; the message says what was looked for and how to get it.
 */
export class FileNotFoundError extends NeuronaError {
  protected readonly [FILE_NOT_FOUND] = true;

  constructor(
    readonly path: string,
    /** The whole message, naming the path and what was expected there. */
    message: string,
    options: NeuronaErrorOptions = {},
  ) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is FileNotFoundError {
    return isMarked(error, FILE_NOT_FOUND);
  }
}

const MISSING_PACKAGE = Symbol.for('neurona.error.missing-package');

/**
 * An optional package that a call needs and that is not installed: names it, the call, and the
 * command that installs it — `renderSvg needs the optional package 'vega-lite' (npm install
 * vega-lite): …`.
 */
export class MissingPackageError extends NeuronaError {
  protected readonly [MISSING_PACKAGE] = true;

  constructor(
    /** The package to install, as npm names it. */
    readonly packageName: string,
    /** The call that needs it. */
    readonly neededBy: string,
    options: NeuronaErrorOptions & {
      /** The version range to install, when only some versions will do: `'4'` gives `npm install nsfwjs@4`. */
      version?: string;
      /** What else the caller can do, appended to the message: `'or pass a model.json path instead'`. */
      hint?: string;
    } = {},
  ) {
    const install = options.version ? `${packageName}@${options.version}` : packageName;
    const why = options.cause instanceof Error ? `: ${options.cause.message.split('\n')[0]}` : '';
    const hint = options.hint ? `; ${options.hint}` : '';
    super(`${neededBy} needs the optional package '${packageName}' (npm install ${install})${why}${hint}`, options);
  }

  static override isInstance(error: unknown): error is MissingPackageError {
    return isMarked(error, MISSING_PACKAGE);
  }
}

const DOWNLOAD = Symbol.for('neurona.error.download');

/**
 * A download that failed — an HTTP status other than success, a timeout, a network error — as
 * opposed to one that arrived and was wrong (that is a {@link DataFormatError}). Worth a retry.
 */
export class DownloadError extends NeuronaError {
  protected readonly [DOWNLOAD] = true;

  constructor(
    /** The URL, or the file being downloaded when several mirrors were tried. */
    readonly url: string,
    detail: string,
    /** The HTTP status of the last answer, when there was one. */
    readonly status?: number,
    options: NeuronaErrorOptions = {},
  ) {
    super(`${url}: ${detail}`, options);
  }

  static override isInstance(error: unknown): error is DownloadError {
    return isMarked(error, DOWNLOAD);
  }
}

function describeLocation({ line, row, image }: DataLocation): string {
  if (line !== undefined) return `, line ${line}`;
  if (row !== undefined) return `, row ${row}`;
  if (image !== undefined) return `, image ${image}`;
  return '';
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
