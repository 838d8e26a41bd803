/**
 * A file that is not what its format says, or not the file it should be. `source` names
 * the file (or URL); the message starts with it, then says what is wrong.
 */
export class DataFormatError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = new.target.name;
  }
}
