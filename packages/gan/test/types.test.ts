// Type tests: `pnpm typecheck` (tsc over test/) fails when a public type changes shape.
import type { TrainingState } from '@neurona/core';
import type * as tf from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  FeatureStatistics,
  GanLogs,
  GanRun,
  SampleScores,
  ScoringClassifier,
  TrainGanOptions,
} from '../src/index.js';
import { frechetDistance, SampleScorer, trainGan, trainScoringClassifier } from '../src/index.js';
import type { ClassifierInfo, GanInfo } from '../src/node.js';
import { loadGenerator, loadScoringClassifier } from '../src/node.js';

describe('the public types of @neurona/gan', () => {
  it('training', () => {
    expectTypeOf(trainGan).returns.resolves.toEqualTypeOf<GanRun>();
    expectTypeOf<TrainGanOptions['resumeFrom']>().toEqualTypeOf<TrainingState | undefined>();
    expectTypeOf<GanLogs['d_accuracy']>().toEqualTypeOf<number>();
    expectTypeOf<TrainGanOptions['measureEpoch']>().toEqualTypeOf<
      ((epoch: number) => Record<string, number> | Promise<Record<string, number>>) | undefined
    >();
  });

  it('scores', () => {
    expectTypeOf(frechetDistance).parameters.toEqualTypeOf<[FeatureStatistics, FeatureStatistics]>();
    expectTypeOf(SampleScorer.create).returns.toEqualTypeOf<SampleScorer>();
    expectTypeOf<SampleScorer['score']>().returns.toEqualTypeOf<SampleScores>();
    expectTypeOf<SampleScores>().toEqualTypeOf<{
      frechetDistance: number;
      classifierScore: number;
      classSpread: number;
      count: number;
    }>();
    expectTypeOf(trainScoringClassifier).returns.resolves.toEqualTypeOf<ScoringClassifier>();
  });

  it('files', () => {
    expectTypeOf(loadGenerator).returns.resolves.toEqualTypeOf<{ generator: tf.LayersModel; info: GanInfo }>();
    expectTypeOf(loadScoringClassifier).returns.resolves.toEqualTypeOf<
      { model: tf.LayersModel; info: ClassifierInfo } | undefined
    >();
  });
});
