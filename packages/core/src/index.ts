/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)

export type { DataLocation, NeuronaErrorOptions } from '@neurona/errors';
export {
  DataFormatError,
  DownloadError,
  FileNotFoundError,
  InvalidInputError,
  InvalidOptionError,
  isMarked,
  MissingPackageError,
  NeuronaError,
  UnknownNameError,
} from '@neurona/errors';
export type { BrowserBackendName, BrowserBackendOptions } from './backend/browser.js';
export { browserBackendNames, browserBackends, useBestBrowserBackend, useBrowserBackend } from './backend/browser.js';
export type {
  BackendAttempt,
  BackendCandidate,
  BackendOutcome,
  BackendReport,
  SelectOptions,
} from './backend/select.js';
export { BackendUnavailableError, formatBackendReport, selectBackend, selectNamedBackend } from './backend/select.js';
export type { ModelCheckpointOptions } from './callbacks/checkpoint.js';
export { ModelCheckpoint } from './callbacks/checkpoint.js';
export type { EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { EarlyStopping } from './callbacks/early-stopping.js';
export type { HistoryRecord } from './callbacks/history.js';
export { History } from './callbacks/history.js';
export type {
  DecayOptions,
  LearningRateSchedule,
  LearningRateSchedulerOptions,
  StepDecayOptions,
} from './callbacks/learning-rate.js';
export {
  exponentialDecay,
  getLearningRate,
  inverseTimeDecay,
  LearningRateScheduler,
  setLearningRate,
  stepDecay,
} from './callbacks/learning-rate.js';
export type { MonitorMode } from './callbacks/monitor.js';
export type { Logs, TrainingCallback, TrainingContext } from './callbacks/types.js';
export type {
  CallbackState,
  LoopPosition,
  NamedTensor,
  Network,
  StatefulCallback,
  StatefulLayer,
  TrainingState,
} from './checkpoint/training-state.js';
export {
  captureNetworksState,
  captureTrainingState,
  disposeTrainingState,
  restoreNetworksState,
  restoreTrainingState,
} from './checkpoint/training-state.js';
export type { FitOptions } from './fit.js';
export { evaluate, fit, TrainingInterruptedError } from './fit.js';
export { FusedBatchNormalization, fusedBatchNormalization } from './layers/fused-batch-norm.js';
export type { FusedGRUArgs } from './layers/fused-recurrent.js';
export {
  FusedGRU,
  FusedLSTM,
  fusedGru,
  fusedLstm,
  onRecurrentFallback,
  registerFusedRecurrentLayers,
} from './layers/fused-recurrent.js';
export type { Rng, RngState } from './random.js';
export { createRng } from './random.js';
export { UnsupportedKernelConfigError } from './wasm/kernel-context.js';
export {
  addedWasmKernels,
  fasterWasmKernels,
  registerWasmTrainingKernels,
  wasmTrainingKernels,
} from './wasm/register.js';
export { eventLoopYielder } from './yield.js';
