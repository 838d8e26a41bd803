import type * as tf from '@tensorflow/tfjs';
import type { ConvGradientAttrs } from './conv-gradient-info.js';
import { convGradientInfo } from './conv-gradient-info.js';
import type { WasmBackend } from './kernel-context.js';
import { UnsupportedKernelConfigError, wasmKernel } from './kernel-context.js';

const NAME = 'Conv2DBackpropInput';

interface Attrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

/**
 * The input gradient of a 2-D convolution (also the forward pass of Conv2DTranspose),
 * for the WASM backend, on WASM's own XNNPACK convolution instead of tfjs's scalar loop:
 * dx is the stride-1 convolution of dy, spread out by the stride (zeros between rows
 * and columns) and padded by `filter − 1 − pad`, with the filter rotated by 180° and its
 * channel axes swapped.
 */
export function conv2dBackpropInput(args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: Attrs;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const { inputShape } = attrs;
  const info = convGradientInfo(NAME, inputShape, filter.shape, attrs, [dy, filter]);
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } =
    info;
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  if (
    top > filterHeight - 1 ||
    left > filterWidth - 1 ||
    info.padInfo.bottom > filterHeight - 1 ||
    info.padInfo.right > filterWidth - 1
  ) {
    throw new UnsupportedKernelConfigError(
      NAME,
      `padding ${JSON.stringify(info.padInfo)} wider than the filter less one (${filterHeight - 1}×${filterWidth - 1}) is not supported`,
    );
  }
  // Padding of the spread-out dy that makes the result exactly inHeight × inWidth.
  const spreadHeight = (outHeight - 1) * strideHeight + 1;
  const spreadWidth = (outWidth - 1) * strideWidth + 1;
  const padTop = filterHeight - 1 - top;
  const padLeft = filterWidth - 1 - left;
  const padBottom = inHeight - spreadHeight - padTop + filterHeight - 1;
  const padRight = inWidth - spreadWidth - padLeft + filterWidth - 1;

  const temporaries: tf.TensorInfo[] = [];
  try {
    // The filter [kh, kw, ci, co] rotated by 180° and transposed to [kh, kw, co, ci].
    const rotated = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
    temporaries.push(rotated);
    const w = backend.typedArrayFromHeap(filter);
    const r = backend.typedArrayFromHeap(rotated);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const src = (kh * filterWidth + kw) * inChannels * outChannels;
        const dst = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * outChannels * inChannels;
        for (let ci = 0; ci < inChannels; ci++) {
          for (let co = 0; co < outChannels; co++)
            r[dst + co * inChannels + ci] = w[src + ci * outChannels + co] as number;
        }
      }
    }
    let source = dy;
    let convPad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ];
    if (strideHeight > 1 || strideWidth > 1) {
      // Spread dy out by the stride, padding included, in one pass over the heap.
      const height = spreadHeight + padTop + padBottom;
      const width = spreadWidth + padLeft + padRight;
      const spread = backend.makeOutput([batchSize, height, width, outChannels], 'float32');
      temporaries.push(spread);
      const s = backend.typedArrayFromHeap(spread);
      s.fill(0);
      const d = backend.typedArrayFromHeap(dy);
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          for (let ow = 0; ow < outWidth; ow++) {
            const from = ((n * outHeight + oh) * outWidth + ow) * outChannels;
            const to = ((n * height + padTop + oh * strideHeight) * width + padLeft + ow * strideWidth) * outChannels;
            s.set(d.subarray(from, from + outChannels), to);
          }
        }
      }
      source = spread;
      convPad = [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ];
    }
    const dx = wasmKernel('Conv2D')({
      inputs: { x: source, filter: rotated },
      backend,
      attrs: { strides: [1, 1], pad: convPad, dataFormat: 'NHWC', dilations: [1, 1] },
    });
    if (dx.shape.join() !== inputShape.join()) {
      temporaries.push(dx);
      throw new Error(`${NAME}: internal shape mismatch [${dx.shape}] for input [${inputShape}]`);
    }
    return dx;
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
