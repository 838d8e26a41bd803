/**
 * The one error family every Neurona package throws (after vercel/ai's `AISDKError`):
 * callers branch on the class — with `isInstance`, which works across two copies of this
 * package where `instanceof` does not — and people read the message.
 */
const NEURONA = Symbol.for('neurona.error');

function marked(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/**
 * The base of every error a Neurona package throws on purpose.
 *
 * @example
 * ```ts
 * try { await fit(model, data, options) } catch (error) {
 *   if (InvalidOptionError.isInstance(error)) console.error(`fix '${error.option}': ${error.message}`);
 *   else throw error;
 * }
 * ```
 */
export class NeuronaError extends Error {
  protected readonly [NEURONA] = true;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /** Whether `error` is a Neurona error, from this copy of the package or another. */
  static isInstance(error: unknown): error is NeuronaError {
    return marked(error, NEURONA);
  }
}

const INVALID_OPTION = Symbol.for('neurona.error.invalid-option');

/** An option whose value is not allowed: names the option, the value, and what is allowed. */
export class InvalidOptionError extends NeuronaError {
  protected readonly [INVALID_OPTION] = true;

  constructor(
    /** Who was called, e.g. `'generateText'`; starts the message. */
    readonly where: string,
    readonly option: string,
    readonly value: unknown,
    /** What is allowed, in words: `'a number > 0'`, `'gru, lstm'`. */
    readonly allowed: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${where}: option '${option}' is ${describeValue(value)}; allowed: ${allowed}`, options);
  }

  static override isInstance(error: unknown): error is InvalidOptionError {
    return marked(error, INVALID_OPTION);
  }
}

const UNKNOWN_NAME = Symbol.for('neurona.error.unknown-name');

/** A name that is not one of the known ones (a recipe, a model, a corpus): lists them. */
export class UnknownNameError extends NeuronaError {
  protected readonly [UNKNOWN_NAME] = true;

  constructor(
    /** What kind of thing was named: `'recipe'`, `'corpus'`. */
    readonly kind: string,
    readonly given: string,
    readonly known: readonly string[],
    options: { cause?: unknown } = {},
  ) {
    super(`'${given}' is not a known ${kind}; known: ${known.join(', ')}`, options);
  }

  static override isInstance(error: unknown): error is UnknownNameError {
    return marked(error, UNKNOWN_NAME);
  }
}

const DATA_FORMAT = Symbol.for('neurona.error.data-format');

/**
 * Data that is not what its format says: names the file (or URL, or what the data is), and
 * the line where a text format has lines. The message starts with them.
 */
export class DataFormatError extends NeuronaError {
  protected readonly [DATA_FORMAT] = true;

  constructor(
    readonly file: string,
    detail: string,
    readonly location: { line?: number } = {},
    options: { cause?: unknown } = {},
  ) {
    super(`${file}${location.line === undefined ? '' : `, line ${location.line}`}: ${detail}`, options);
  }

  static override isInstance(error: unknown): error is DataFormatError {
    return marked(error, DATA_FORMAT);
  }
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
