// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import type * as tf from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  BackendAttempt,
  BackendReport,
  BackendUnavailableError,
  DataLocation,
  FitOptions,
  History,
  InvalidInputError,
  Logs,
  MissingPackageError,
  TrainingCallback,
  TrainingState,
} from '../src/index.js';
import {
  type DataFormatError,
  evaluate,
  FileNotFoundError,
  fit,
  InvalidOptionError,
  NeuronaError,
  type UnknownNameError,
} from '../src/index.js';
import type { LoadedCheckpoint } from '../src/node.js';
import { loadCheckpoint, saveCheckpoint, useBackend, useBestBackend } from '../src/node.js';

describe('the public types of @neurona/core', () => {
  it('fit, evaluate and checkpoints', () => {
    expectTypeOf(fit).parameters.toEqualTypeOf<[tf.LayersModel, tf.Tensor, tf.Tensor, FitOptions]>();
    expectTypeOf(fit).returns.resolves.toEqualTypeOf<History>();
    expectTypeOf(evaluate).returns.resolves.toEqualTypeOf<Logs>();
    expectTypeOf<FitOptions['resumeFrom']>().toEqualTypeOf<TrainingState | undefined>();
    expectTypeOf<FitOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<FitOptions['callbacks']>().toEqualTypeOf<TrainingCallback[] | undefined>();
    expectTypeOf(saveCheckpoint).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(saveCheckpoint).parameter(1).toEqualTypeOf<TrainingState>();
    expectTypeOf(loadCheckpoint).returns.resolves.toEqualTypeOf<LoadedCheckpoint>();
    expectTypeOf<LoadedCheckpoint['dispose']>().toEqualTypeOf<() => void>();
  });

  it('backends and errors', () => {
    expectTypeOf(useBestBackend).returns.resolves.toEqualTypeOf<BackendReport>();
    expectTypeOf(useBackend).returns.resolves.toEqualTypeOf<BackendReport>();
    expectTypeOf<InvalidOptionError>().toMatchTypeOf<NeuronaError>();
    expectTypeOf<UnknownNameError>().toMatchTypeOf<NeuronaError>();
    expectTypeOf<DataFormatError>().toMatchTypeOf<NeuronaError>();
    expectTypeOf<NeuronaError>().toMatchTypeOf<Error>();
    expectTypeOf(NeuronaError.isInstance).guards.toEqualTypeOf<NeuronaError>();
    expectTypeOf(InvalidOptionError.isInstance).guards.toEqualTypeOf<InvalidOptionError>();
    expectTypeOf<InvalidOptionError['option']>().toEqualTypeOf<string>();
    expectTypeOf<DataFormatError['location']>().toEqualTypeOf<DataLocation>();
    expectTypeOf<InvalidInputError>().toMatchTypeOf<NeuronaError>();
    expectTypeOf<InvalidInputError['input']>().toEqualTypeOf<string>();
    expectTypeOf<BackendUnavailableError['attempts']>().toEqualTypeOf<readonly BackendAttempt[]>();
    expectTypeOf<MissingPackageError['packageName']>().toEqualTypeOf<string>();
    expectTypeOf(FileNotFoundError.isInstance).guards.toEqualTypeOf<FileNotFoundError>();
  });
});
