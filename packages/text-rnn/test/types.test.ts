// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import type { TrainingState } from '@neurona/core';
import type { CharVocabulary } from '@neurona/preprocessing';
import type * as tf from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  CharModelShape,
  GeneratedText,
  GenerateOptions,
  LanguageModelRun,
  SamplingOptions,
  TrainLanguageModelOptions,
  WordVectors,
} from '../src/index.js';
import { CharGenerator, charLanguageModel, sampleFromLogits, trainLanguageModel } from '../src/index.js';
import { loadCharModel, readGloveFile } from '../src/node.js';

describe('the public types of @neurona/text-rnn', () => {
  it('options and results', () => {
    expectTypeOf(trainLanguageModel).parameters.toEqualTypeOf<[string, TrainLanguageModelOptions]>();
    expectTypeOf(trainLanguageModel).returns.resolves.toEqualTypeOf<LanguageModelRun>();
    expectTypeOf<TrainLanguageModelOptions['epochs']>().toEqualTypeOf<number>();
    expectTypeOf<TrainLanguageModelOptions['resumeFrom']>().toEqualTypeOf<TrainingState | undefined>();
    expectTypeOf<CharModelShape['cell']>().toEqualTypeOf<'gru' | 'lstm' | undefined>();
    expectTypeOf<CharModelShape['encoding']>().toEqualTypeOf<'embedding' | 'one-hot' | undefined>();
    expectTypeOf<LanguageModelRun['model']>().toEqualTypeOf<tf.LayersModel>();
    expectTypeOf<LanguageModelRun['vocabulary']>().toEqualTypeOf<CharVocabulary>();
    expectTypeOf<LanguageModelRun['validationLoss']>().toEqualTypeOf<number[]>();
    expectTypeOf<LanguageModelRun['baselines']>().toEqualTypeOf<{ unigramEntropy: number; untrainedModel: number }>();
    expectTypeOf(charLanguageModel).returns.toEqualTypeOf<tf.LayersModel>();
  });

  it('generation', () => {
    expectTypeOf(CharGenerator.fromModel).returns.toEqualTypeOf<CharGenerator>();
    expectTypeOf<CharGenerator['generate']>().parameters.toEqualTypeOf<[GenerateOptions]>();
    expectTypeOf<CharGenerator['generate']>().returns.resolves.toEqualTypeOf<GeneratedText>();
    expectTypeOf<GenerateOptions>().toMatchTypeOf<SamplingOptions>();
    expectTypeOf<GenerateOptions['onText']>().toEqualTypeOf<((text: string) => void) | undefined>();
    expectTypeOf(sampleFromLogits).returns.toEqualTypeOf<number>();
    expectTypeOf(loadCharModel).returns.resolves.toEqualTypeOf<{ model: tf.LayersModel; vocabulary: CharVocabulary }>();
    expectTypeOf(readGloveFile).returns.resolves.toEqualTypeOf<WordVectors>();
  });
});
