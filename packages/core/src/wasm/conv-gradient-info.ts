import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedKernelConfigError } from './kernel-context.js';

/** The attributes both gradients of a 2-D convolution carry. */
export interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Checks what our convolution-gradient kernels support (NHWC, float32) and returns the
 * forward convolution's geometry, as tfjs computes it.
 */
export function convGradientInfo(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  attrs: ConvGradientAttrs,
  inputs: tf.TensorInfo[],
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') {
    throw new UnsupportedKernelConfigError(
      kernel,
      `dataFormat '${attrs.dataFormat}' is not supported; allowed: 'NHWC'`,
    );
  }
  const dtypes = inputs.map((t) => t.dtype);
  if (dtypes.some((d) => d !== 'float32')) {
    throw new UnsupportedKernelConfigError(kernel, `dtype ${dtypes.join('/')} is not supported; allowed: float32`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
