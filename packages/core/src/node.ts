/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" />
// (Types only: tensor methods such as x.slice(), which @tensorflow/tfjs registers at run time.)
// Node-only parts of @neurona/core: backends that need Node, files, the terminal.

export type { GpuAdapterInfo } from './backend/software-gpu.js';
export type { NodeBackendName, NodeBackendOptions } from './node/backend.js';
export {
  nodeBackendCandidates,
  nodeBackendNames,
  nodeBackends,
  useBackend,
  useBestBackend,
} from './node/backend.js';
export type { CheckpointInfo, LoadedCheckpoint } from './node/checkpoint-files.js';
export { checkpointLeftovers, listCheckpoints, loadCheckpoint, saveCheckpoint } from './node/checkpoint-files.js';
export { fileSystem, registerFileSystem, writeFileAtomic } from './node/file-io.js';
export type { TerminalProgressOptions } from './node/terminal-progress.js';
export { TerminalProgress } from './node/terminal-progress.js';
export type { NodeWasmThreadFacts, NodeWasmThreadPlan } from './node/wasm-threads.js';
export { planNodeWasmThreads } from './node/wasm-threads.js';
export {
  releaseWebGpu,
  WebGpuDeviceLostError,
  WebGpuDeviceWatch,
  webGpuAdapterInfo,
  webGpuDeviceLost,
} from './node/webgpu.js';
