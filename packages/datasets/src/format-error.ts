// The family's markers (see @neurona/core's errors): core's `NeuronaError.isInstance` and
// `DataFormatError.isInstance` recognise these errors, while this package's main entry needs
// neither core nor TensorFlow.js.
const NEURONA = Symbol.for('neurona.error');
const DATA_FORMAT = Symbol.for('neurona.error.data-format');

/**
 * A file that is not what its format says, or not the file it should be. `source` names
 * the file (or URL); the message starts with it, then says what is wrong.
 */
export class DataFormatError extends Error {
  protected readonly [NEURONA] = true;
  protected readonly [DATA_FORMAT] = true;
  /** The same as `source`, under the name core's `DataFormatError` uses. */
  readonly file: string;
  readonly location: { line?: number } = {};

  constructor(
    readonly source: string,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${source}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.file = source;
  }
}
