// Node-only parts of @neurona/core: backends that need Node, files, the terminal.
export { nodeBackendNames, nodeBackends, useBackend, useBestBackend } from './node/backend.js';
export type { NodeBackendName } from './node/backend.js';
export { fileSystem, registerFileSystem, writeFileAtomic } from './node/file-io.js';
export { TerminalProgress } from './node/terminal-progress.js';
export type { TerminalProgressOptions } from './node/terminal-progress.js';
