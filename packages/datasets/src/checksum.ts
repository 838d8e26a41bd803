import { DataFormatError, isMarked } from '@neurona/errors';

/** SHA-256 of some bytes as lowercase hex, with WebCrypto (browsers and Node 20 alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const CHECKSUM_MARKER = Symbol.for('neurona.error.checksum');

/** A file whose SHA-256 is not the published one: a data-format error of the Neurona family. */
export class ChecksumError extends DataFormatError {
  protected readonly [CHECKSUM_MARKER] = true;

  constructor(
    source: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      source,
      `SHA-256 is ${actual}, expected ${expected}; the file is corrupt or not the one this package was made with`,
    );
  }

  static override isInstance(error: unknown): error is ChecksumError {
    return isMarked(error, CHECKSUM_MARKER);
  }
}

/**
 * Checks bytes against a SHA-256 hex digest; throws a `ChecksumError` naming `source` and both
 * digests when they differ.
 */
export async function verifySha256(bytes: Uint8Array, expected: string, source: string) {
  const actual = await sha256Hex(bytes);
  if (actual !== expected) throw new ChecksumError(source, expected, actual);
}
