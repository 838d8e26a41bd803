import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGradientAttrs } from './conv-gradient-info.js';
import { convGradientInfo } from './conv-gradient-info.js';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

const NAME = 'Conv2DBackpropFilter';

interface Attrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/** At most this many values of patches are built at once (32 MB): a large batch goes in chunks. */
const MAX_PATCH_VALUES = 8 * 1024 * 1024;

/**
 * The filter gradient of a 2-D convolution, for the WASM backend, on WASM's own (XNNPACK) kernels:
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − pt, ow·s + kw − pl, ci] · dy[n, oh, ow, co]
 *
 * computed one of two ways, by the padding. Without padding, as a convolution of x by dy
 * (`viaConvolution`); with padding, which that convolution handles slowly when its filter is as
 * large as dy, as a matrix product of x's patches by dy (`viaMatMul`). Measured per layer of the
 * benchmark's models, one thread (`bench/profile.mjs`), convolution / product in ms: a Fashion
 * CNN's first layer (3×3, same) 36.7 / 7.7, the DCGAN generator's last two 385.8 / 185.1 and
 * 97.9 / 47.5; the ch-8 CNN's layers (5×5, valid) 25.0 / 29.5 and 10.7 / 15.6.
 */
export function conv2dBackpropFilter(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: Attrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const { filterShape } = attrs;
  const info = convGradientInfo(NAME, x.shape, filterShape, attrs, [x, dy]);
  const { batchSize, outChannels, outHeight, outWidth } = info;
  if (dy.shape.join() !== [batchSize, outHeight, outWidth, outChannels].join()) {
    throw new UnsupportedKernelConfigError(
      NAME,
      `dy has shape [${dy.shape}] but the convolution of x [${x.shape}] by a [${filterShape}] filter gives [${batchSize}, ${outHeight}, ${outWidth}, ${outChannels}]`,
    );
  }
  const { top, bottom, left, right } = info.padInfo;
  return top + bottom + left + right > 0
    ? viaMatMul(x, dy, backend, info, filterShape)
    : viaConvolution(x, dy, backend, info, filterShape);
}

/**
 * dW [K, co] = colᵀ · dy, with P = n·oh·ow the output positions and K = kh·kw·ci a filter's
 * taps: the patches of x laid out tap by tap are colᵀ [K, P] (zeros in the padding), dy is
 * already a matrix [P, co], so the product runs untransposed (XNNPACK's fast path) on dy as it lies
 * in the heap, and its result is dW's own layout. colᵀ is written in one pass over x, each tap's
 * row in order of the positions. A batch whose patches would pass 32 MB goes in chunks of
 * images, their products summed in float64.
 */
function viaMatMul(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  backend: WasmBackend,
  info: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } =
    info;
  const { strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const taps = filterHeight * filterWidth * inChannels;
  const perImage = outHeight * outWidth;
  const chunk = Math.max(1, Math.min(batchSize, Math.floor(MAX_PATCH_VALUES / Math.max(1, perImage * taps))));
  const matMul = wasmKernel('BatchMatMul');
  const whole = chunk >= batchSize;
  const sums = whole ? undefined : new Float64Array(taps * outChannels);
  for (let n0 = 0; n0 < batchSize; n0 += chunk) {
    const images = Math.min(chunk, batchSize - n0);
    const positions = images * perImage;
    const colT = backend.makeOutput([1, taps, positions], 'float32');
    // The whole batch reads dy where it lies; a chunk copies its run of rows.
    const rows = whole
      ? { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: 'float32' as const }
      : backend.makeOutput([1, positions, outChannels], 'float32');
    let product: tf.TensorInfo | undefined;
    try {
      // Read the heap after every makeOutput: a new tensor may grow it and move the views.
      const xs = backend.typedArrayFromHeap(x) as Float32Array;
      const c = backend.typedArrayFromHeap(colT) as Float32Array;
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          const tap = (kh * filterWidth + kw) * inChannels;
          let p = 0;
          for (let n = n0; n < n0 + images; n++) {
            const image = n * inHeight * inWidth * inChannels;
            for (let oh = 0; oh < outHeight; oh++) {
              const h = oh * strideHeight + kh - padTop;
              for (let ow = 0; ow < outWidth; ow++, p++) {
                const w = ow * strideWidth + kw - padLeft;
                const inside = h >= 0 && h < inHeight && w >= 0 && w < inWidth;
                const from = image + (h * inWidth + w) * inChannels;
                for (let ci = 0, at = tap * positions + p; ci < inChannels; ci++, at += positions)
                  c[at] = inside ? (xs[from + ci] as number) : 0;
              }
            }
          }
        }
      }
      if (!whole) {
        const first = n0 * perImage * outChannels;
        (backend.typedArrayFromHeap(rows) as Float32Array).set(
          (backend.typedArrayFromHeap(dy) as Float32Array).subarray(first, first + positions * outChannels),
        );
      }
      product = matMul({ inputs: { a: colT, b: rows }, backend, attrs: { transposeA: false, transposeB: false } });
      if (whole) {
        const dw = { dataId: product.dataId, shape: filterShape, dtype: 'float32' as const };
        product = undefined; // the result: not freed below
        return dw;
      }
      const got = backend.typedArrayFromHeap(product) as Float32Array;
      const total = sums as Float64Array;
      for (let i = 0; i < got.length; i++) total[i] = (total[i] as number) + (got[i] as number);
    } finally {
      backend.disposeData(colT.dataId);
      if (!whole) backend.disposeData(rows.dataId);
      if (product) backend.disposeData(product.dataId);
    }
  }
  const dw = backend.makeOutput(filterShape, 'float32');
  (backend.typedArrayFromHeap(dw) as Float32Array).set(sums as Float64Array);
  return dw;
}

/**
 * dW as an XNNPACK convolution of x with its batch and channel axes swapped ([ci, H, W, n]) by dy
 * used as a filter ([oh, ow, n, co]), whose dilation is the forward stride; the result
 * [ci, kh, kw, co] is transposed to [kh, kw, ci, co]. Rows and columns of x that no output reads
 * are cropped first, so the padding is never negative.
 */
function viaConvolution(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  backend: WasmBackend,
  info: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } =
    info;
  const { strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  // Padding after the input that makes the result exactly filterHeight × filterWidth;
  // negative means trailing input rows (columns) that no output reads.
  let padBottom = filterHeight - inHeight - padTop + (outHeight - 1) * strideHeight;
  let padRight = filterWidth - inWidth - padLeft + (outWidth - 1) * strideWidth;
  const usedHeight = inHeight + Math.min(0, padBottom);
  const usedWidth = inWidth + Math.min(0, padRight);
  padBottom = Math.max(0, padBottom);
  padRight = Math.max(0, padRight);

  const transpose = wasmKernel('Transpose');
  const temporaries: tf.TensorInfo[] = [];
  try {
    let xs = x;
    if (usedHeight < inHeight || usedWidth < inWidth) {
      xs = wasmKernel('Slice')({
        inputs: { x },
        backend,
        attrs: { begin: [0, 0, 0, 0], size: [batchSize, usedHeight, usedWidth, inChannels] },
      });
      temporaries.push(xs);
    }
    const xT = transpose({ inputs: { x: xs }, backend, attrs: { perm: [3, 1, 2, 0] } });
    temporaries.push(xT);
    const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
    temporaries.push(dyT);
    const conv = wasmKernel('Conv2D')({
      inputs: { x: xT, filter: dyT },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [strideHeight, strideWidth],
      },
    });
    temporaries.push(conv);
    if (conv.shape.join() !== [inChannels, filterHeight, filterWidth, outChannels].join()) {
      // invariant: the convolution always gives the filter shape; a bug if thrown
      throw new Error(`${NAME}: internal shape mismatch [${conv.shape}] for filter [${filterShape}]`);
    }
    return transpose({ inputs: { x: conv }, backend, attrs: { perm: [1, 2, 0, 3] } });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
