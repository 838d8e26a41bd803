// A GPU backend on a software renderer (SwiftShader, llvmpipe) is far slower than WASM:
// in headless Chromium on a machine without a GPU, the ch-8 CNN trains at 19 samples/s
// on WebGL and 7 on WebGPU, against 677 on WASM (`pnpm bench:backends --runtime chromium`).
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render/i;

/** The WebGL renderer's name when it is a software one, else undefined. */
export function softwareWebGlRenderer(): string | undefined {
  // In a page, a canvas element; in a worker, an OffscreenCanvas (what tfjs's WebGL backend draws on there).
  const canvas = () =>
    typeof document !== 'undefined'
      ? document.createElement('canvas')
      : typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : undefined;
  const gl = (canvas()?.getContext('webgl2') ?? canvas()?.getContext('webgl')) as
    | WebGLRenderingContext
    | WebGL2RenderingContext
    | null
    | undefined;
  if (!gl) return undefined;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_RENDERER.test(renderer) ? renderer : undefined;
}

/** What a WebGPU adapter says about itself (`adapter.info`), and whether it is a fallback. */
export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: GpuAdapterInfo;
}

/**
 * An adapter's info as plain data, its name, and whether it is a software one (a fallback
 * adapter, or SwiftShader/llvmpipe by name). Fields are read by name: Dawn's are not enumerable.
 */
export function readAdapter(adapter: AdapterLike): { info: GpuAdapterInfo; name: string; software: boolean } {
  const raw = adapter.info ?? {};
  const info: GpuAdapterInfo = {
    vendor: raw.vendor,
    architecture: raw.architecture,
    device: raw.device,
    description: raw.description,
    isFallbackAdapter: raw.isFallbackAdapter ?? adapter.isFallbackAdapter,
  };
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  return {
    info,
    name: name || 'unnamed adapter',
    software: Boolean(info.isFallbackAdapter) || SOFTWARE_RENDERER.test(name),
  };
}

/** Why the WebGPU adapter is not worth using (none, or a software fallback), else undefined. */
export async function webGpuAdapterProblem(): Promise<string | undefined> {
  const gpu = (
    globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined
  )?.gpu;
  if (!gpu) return 'no adapter (navigator.gpu is absent)';
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'no adapter (requestAdapter returned none)';
  const { name, software } = readAdapter(adapter);
  return software ? `software adapter (${name}), slower than WASM` : undefined;
}
