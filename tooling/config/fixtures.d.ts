/** A small Dogs-vs-Cats-shaped folder of striped JPEGs: train/, validation/, test/, each with cats/ and dogs/. */
export function stripesFolder(
  dir: string,
  counts: { train: number; validation: number; test: number },
  size?: number,
  seed?: number,
): Promise<string>;
