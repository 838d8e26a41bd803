// Node-only parts of @neurona/core: backends that need Node, files, the terminal.

export type { NodeBackendName } from './node/backend.js';
export { nodeBackendNames, nodeBackends, useBackend, useBestBackend } from './node/backend.js';
export { fileSystem, registerFileSystem, writeFileAtomic } from './node/file-io.js';
export type { TerminalProgressOptions } from './node/terminal-progress.js';
export { TerminalProgress } from './node/terminal-progress.js';
