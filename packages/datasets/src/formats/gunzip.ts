import { DataFormatError } from '@neurona/errors';
/** Decompresses gzip bytes with the platform's `DecompressionStream` (browsers, Node ≥ 18). */
export async function gunzip(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataFormatError(
      source,
      `not valid gzip data or truncated (${(error as Error).message})`,
      {},
      { cause: error },
    );
  }
}

export const isGzip = (bytes: Uint8Array) => bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
