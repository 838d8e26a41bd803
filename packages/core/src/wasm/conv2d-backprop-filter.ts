import type * as tf from '@tensorflow/tfjs-core';
import type { ConvGradientAttrs } from './conv-gradient-info.js';
import { convGradientInfo } from './conv-gradient-info.js';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

const NAME = 'Conv2DBackpropFilter';

interface Attrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/**
 * The filter gradient of a 2-D convolution, for the WASM backend, built on WASM's own
 * (XNNPACK) convolution:
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − pt, ow·s + kw − pl, ci] · dy[n, oh, ow, co]
 *
 * is a convolution of x with its batch and channel axes swapped ([ci, H, W, n]) by dy
 * used as a filter ([oh, ow, n, co]), whose dilation is the forward stride; the result
 * [ci, kh, kw, co] is transposed to [kh, kw, ci, co]. Rows and columns of x that no
 * output reads are cropped first, so the padding is never negative.
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
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } =
    info;
  const { strideHeight, strideWidth } = info;
  if (dy.shape.join() !== [batchSize, outHeight, outWidth, outChannels].join()) {
    throw new UnsupportedKernelConfigError(
      NAME,
      `dy has shape [${dy.shape}] but the convolution of x [${x.shape}] by a [${filterShape}] filter gives [${batchSize}, ${outHeight}, ${outWidth}, ${outChannels}]`,
    );
  }
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
