import { fileURLToPath } from 'node:url';
import { readNsfwjsMobileNetV2 } from '@neurona/zoo/node';
import { defineConfig, type Plugin } from 'vite';

/**
 * Cross-origin isolation: with these two headers the browser gives the page (and its workers)
 * `SharedArrayBuffer`, which the WASM backend's threaded build needs to run on more than one
 * core. Everything the app loads is its own origin, so `require-corp` blocks nothing. A server
 * of the built app must send the same two headers (README: "Serving the built app").
 */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The pretrained MobileNetV2 of `/images`' transfer runs (book ch. 11), served as the app's own
 * files: `models/nsfwjs-mobilenet-v2/model.json` and its `weights.bin` (2.6 MB), written from the
 * copy the `nsfwjs` package ships offline. `vite build` emits them; `vite` serves them.
 */
function pretrainedMobileNet(): Plugin {
  const folder = 'models/nsfwjs-mobilenet-v2/';
  let files: Map<string, Uint8Array | string> | undefined;
  const read = () => {
    if (!files) {
      const model = readNsfwjsMobileNetV2({ resolveFrom: import.meta.url });
      const json = {
        format: 'layers-model',
        generatedBy: 'nsfwjs 4.4.0 (MobileNetV2), unpacked by @neurona/zoo',
        modelTopology: model.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: model.weightSpecs }],
      };
      files = new Map<string, Uint8Array | string>([
        [`${folder}model.json`, JSON.stringify(json)],
        [`${folder}weights.bin`, new Uint8Array(model.weightData)],
      ]);
    }
    return files;
  };
  return {
    name: 'neurona-pretrained-mobilenet',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const file = read().get((request.url ?? '').split('?')[0]?.slice(1) ?? '');
        if (file === undefined) return next();
        response.setHeader('Content-Type', typeof file === 'string' ? 'application/json' : 'application/octet-stream');
        response.end(file);
      });
    },
    generateBundle() {
      for (const [fileName, source] of read()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  plugins: [pretrainedMobileNet()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  // The bundled Fashion-MNIST sample is served as static files, straight from the
  // datasets package: /fashion-mnist-sample/*.gz
  publicDir: fileURLToPath(new URL('../../packages/datasets/data', import.meta.url)),
  // Preact's JSX, without a plugin: esbuild compiles it.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // The Playground trains in a module worker (`new Worker(new URL(...), { type: 'module' })`).
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
