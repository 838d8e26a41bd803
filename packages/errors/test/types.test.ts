// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import { describe, expectTypeOf, it } from 'vitest';
import {
  DataFormatError,
  type DataLocation,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  MissingPackageError,
  type NeuronaError,
  UnknownNameError,
} from '../src/index.js';

describe('the public types of @neurona/errors', () => {
  it('every class is a NeuronaError, and isInstance narrows to it', () => {
    expectTypeOf<NeuronaError>().toMatchTypeOf<Error>();
    for (const c of [InvalidOptionError, UnknownNameError, InvalidInputError, DataFormatError] as const) {
      expectTypeOf<InstanceType<typeof c>>().toMatchTypeOf<NeuronaError>();
    }
    expectTypeOf(InvalidOptionError.isInstance).guards.toEqualTypeOf<InvalidOptionError>();
    expectTypeOf(DownloadError.isInstance).guards.toEqualTypeOf<DownloadError>();
    expectTypeOf(MissingPackageError.isInstance).guards.toEqualTypeOf<MissingPackageError>();
    expectTypeOf(FileNotFoundError.isInstance).guards.toEqualTypeOf<FileNotFoundError>();
  });

  it('the data each carries', () => {
    expectTypeOf<InvalidOptionError['option']>().toEqualTypeOf<string>();
    expectTypeOf<InvalidOptionError['value']>().toEqualTypeOf<unknown>();
    expectTypeOf<UnknownNameError['known']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<InvalidInputError['input']>().toEqualTypeOf<string>();
    expectTypeOf<DataFormatError['location']>().toEqualTypeOf<DataLocation>();
    expectTypeOf<FileNotFoundError['path']>().toEqualTypeOf<string>();
    expectTypeOf<DownloadError['status']>().toEqualTypeOf<number | undefined>();
  });
});
