import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, registerWasmTrainingKernels, wasmTrainingKernels } from '../src/index.js';
import { useBackend } from '../src/node.js';
import { wasmKernel } from '../src/wasm/kernel-context.js';
import { randomArray } from './compare.js';

type Pad = 'same' | 'valid';

const ALL = [
  'Conv2DBackpropFilter',
  'UnsortedSegmentSum',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'NeuronaLSTMSequence',
  'NeuronaLSTMSequenceGrad',
  'NeuronaGRUSequence',
  'NeuronaGRUSequenceGrad',
  'NeuronaBatchNormTraining',
  'NeuronaBatchNormTrainingGrad',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'Tile',
  'BatchMatMul',
  '_FusedMatMul',
  'Slice',
  'Unpack',
  'SplitV',
  'Sum',
  'Mean',
];

/** Runs one kernel on a backend with inputs made there from plain arrays. */
async function runOn(
  backend: 'cpu' | 'wasm',
  kernel: string,
  inputs: Record<string, { values: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' }>,
  attrs: object,
) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape, v.dtype)]),
  );
  const out = tf
    .engine()
    .runKernel(kernel, tensors as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = await out.data();
  const shape = out.shape;
  tf.dispose([out, ...Object.values(tensors)]);
  expect(tf.memory().numTensors).toBe(before);
  return { values: Float32Array.from(values), shape };
}

function relativeError(out: Float32Array, ref: Float32Array) {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < ref.length; i++) {
    diff += ((out[i] as number) - (ref[i] as number)) ** 2;
    norm += (ref[i] as number) ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(norm);
}

describe('Neurona kernels for the WASM backend, against the CPU backend', () => {
  beforeAll(async () => {
    const report = await useBackend('wasm', { log: false });
    expect(report.ownKernels).toEqual(ALL);
  });

  const cases: {
    batch: number;
    size: [number, number];
    inC: number;
    outC: number;
    k: [number, number];
    stride: number;
    pad: Pad;
  }[] = [];
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      for (const [batch, inC, outC] of [
        [1, 1, 3],
        [7, 3, 17],
        [2, 17, 1],
      ] as const) {
        cases.push({ batch, size: [9, 7], inC, outC, k: [3, 3], stride, pad });
      }
      cases.push({ batch: 3, size: [11, 10], inC: 3, outC: 5, k: [5, 4], stride, pad });
      cases.push({ batch: 2, size: [8, 8], inC: 2, outC: 4, k: [2, 2], stride, pad });
    }
  }
  // Strides beyond 2, a stride larger than the filter (phases with no tap), and the DCGAN's layers.
  for (const pad of ['same', 'valid'] as Pad[]) {
    cases.push({ batch: 2, size: [10, 11], inC: 3, outC: 4, k: [5, 4], stride: 3, pad });
    cases.push({ batch: 1, size: [9, 9], inC: 2, outC: 3, k: [2, 2], stride: 3, pad });
    cases.push({ batch: 3, size: [28, 28], inC: 1, outC: 8, k: [5, 5], stride: 2, pad });
    cases.push({ batch: 2, size: [14, 14], inC: 8, outC: 16, k: [5, 5], stride: 2, pad });
  }

  // Patches over 32 MB: the filter gradient goes in chunks of images (5 + 4 here).
  const chunked = {
    batch: 9,
    size: [64, 64] as [number, number],
    inC: 16,
    outC: 2,
    k: [5, 5] as [number, number],
    stride: 1,
    pad: 'same' as Pad,
  };

  it.each([...cases, chunked])(
    'Conv2DBackpropFilter: batch $batch, $size, $inC→$outC channels, kernel $k, stride $stride, $pad',
    async (c) => {
      const [h, w] = c.size;
      const filterShape = [c.k[0], c.k[1], c.inC, c.outC] as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo([c.batch, h, w, c.inC], filterShape, c.stride, 1, c.pad);
      const xShape = [c.batch, h, w, c.inC];
      const dyShape = [c.batch, info.outHeight, info.outWidth, c.outC];
      const seed = c.batch * 1000 + h * 10 + c.stride;
      const inputs = {
        x: {
          values: randomArray(
            xShape.reduce((a, b) => a * b),
            seed,
          ),
          shape: xShape,
          dtype: 'float32' as const,
        },
        dy: {
          values: randomArray(
            dyShape.reduce((a, b) => a * b),
            seed + 1,
          ),
          shape: dyShape,
          dtype: 'float32' as const,
        },
      };
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
      const ref = await runOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const out = await runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      expect(out.shape).toEqual(filterShape);
      expect(out.values.some(Number.isNaN)).toBe(false);
      expect(relativeError(out.values, ref.values)).toBeLessThan(1e-4);
    },
  );

  it.each(cases)(
    'Conv2DBackpropInput: batch $batch, $size, $inC→$outC channels, kernel $k, stride $stride, $pad',
    async (c) => {
      const [h, w] = c.size;
      const filterShape = [c.k[0], c.k[1], c.inC, c.outC] as [number, number, number, number];
      const inputShape = [c.batch, h, w, c.inC] as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, c.stride, 1, c.pad);
      const dyShape = [c.batch, info.outHeight, info.outWidth, c.outC];
      const seed = c.batch * 2000 + w * 10 + c.stride;
      const inputs = {
        dy: {
          values: randomArray(
            dyShape.reduce((a, b) => a * b),
            seed,
          ),
          shape: dyShape,
          dtype: 'float32' as const,
        },
        filter: {
          values: randomArray(
            filterShape.reduce((a, b) => a * b),
            seed + 1,
          ),
          shape: filterShape,
          dtype: 'float32' as const,
        },
      };
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape };
      const ref = await runOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const out = await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      expect(out.shape).toEqual(inputShape);
      expect(out.values.some(Number.isNaN)).toBe(false);
      expect(relativeError(out.values, ref.values)).toBeLessThan(1e-4);
    },
  );

  const pools: { batch: number; size: [number, number]; channels: number; filter: number; stride: number; pad: Pad }[] =
    [];
  for (const [filter, stride] of [
    [2, 2],
    [3, 2],
    [3, 1],
  ] as const) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      pools.push({ batch: 1, size: [9, 7], channels: 1, filter, stride, pad });
      pools.push({ batch: 7, size: [8, 11], channels: 17, filter, stride, pad });
      pools.push({ batch: 2, size: [5, 5], channels: 3, filter, stride, pad });
    }
  }

  it.each(pools)(
    'MaxPoolGrad: batch $batch, $size, $channels channels, pool $filter, stride $stride, $pad',
    async (c) => {
      const [h, w] = c.size;
      const shape = [c.batch, h, w, c.channels];
      const info = tf.backend_util.computePool2DInfo(
        shape as [number, number, number, number],
        c.filter,
        c.stride,
        1,
        c.pad,
      );
      const outShape = [c.batch, info.outHeight, info.outWidth, c.channels];
      const x = randomArray(
        shape.reduce((a, b) => a * b),
        c.batch + h,
      );
      // The pooled output, as the forward pass would hand it over.
      await tf.setBackend('cpu');
      const pooled = tf.tidy(() =>
        tf.maxPool(tf.tensor4d(x, shape as [number, number, number, number]), c.filter, c.stride, c.pad).dataSync(),
      );
      const inputs = {
        dy: {
          values: randomArray(
            outShape.reduce((a, b) => a * b),
            c.channels,
          ),
          shape: outShape,
          dtype: 'float32' as const,
        },
        input: { values: x, shape, dtype: 'float32' as const },
        output: { values: Float32Array.from(pooled), shape: outShape, dtype: 'float32' as const },
      };
      const attrs = { filterSize: c.filter, strides: c.stride, pad: c.pad };
      const ref = await runOn('cpu', 'MaxPoolGrad', inputs, attrs);
      const out = await runOn('wasm', 'MaxPoolGrad', inputs, attrs);
      expect(out.shape).toEqual(shape);
      expect(relativeError(out.values, ref.values)).toBeLessThan(1e-6);
    },
  );

  it.each([
    { shape: [3], reps: [4] },
    { shape: [1, 1, 1, 5], reps: [7, 3, 2, 1] },
    { shape: [2, 3], reps: [2, 5] },
    { shape: [4, 1], reps: [1, 17] },
    { shape: [2, 1, 3], reps: [1, 4, 2] },
  ])('Tile: $shape by $reps', async (c) => {
    const inputs = {
      x: {
        values: randomArray(
          c.shape.reduce((a, b) => a * b),
          3,
        ),
        shape: c.shape,
        dtype: 'float32' as const,
      },
    };
    const ref = await runOn('cpu', 'Tile', inputs, { reps: c.reps });
    const out = await runOn('wasm', 'Tile', inputs, { reps: c.reps });
    expect(out.shape).toEqual(c.shape.map((d, i) => d * (c.reps[i] as number)));
    expect(Array.from(out.values)).toEqual(Array.from(ref.values));
    const ints = { x: { values: Int32Array.from({ length: 6 }, (_, i) => i), shape: [2, 3], dtype: 'int32' as const } };
    expect(Array.from((await runOn('wasm', 'Tile', ints, { reps: [2, 1] })).values)).toEqual([
      0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5,
    ]);
  });

  it.each([
    { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 6, 3], axis: [2, 0, 1], keepDims: true },
    { shape: [7, 9], axis: 0, keepDims: false },
    { shape: [2, 3, 4], axis: [0, 1], keepDims: false },
    // Not leading: tfjs's own kernel, the same answer.
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 5, 6], axis: -1, keepDims: true },
    { shape: [3, 8], axis: [0, 1], keepDims: false },
  ])('Sum and Mean over $axis of $shape (keepDims $keepDims)', async (c) => {
    const size = c.shape.reduce((a, b) => a * b);
    const inputs = { x: { values: randomArray(size, 11), shape: c.shape, dtype: 'float32' as const } };
    for (const kernel of ['Sum', 'Mean']) {
      const attrs = { axis: c.axis, keepDims: c.keepDims };
      const ref = await runOn('cpu', kernel, inputs, attrs);
      const out = await runOn('wasm', kernel, inputs, attrs);
      expect(out.shape).toEqual(ref.shape);
      expect(relativeError(out.values, ref.values)).toBeLessThan(1e-5);
    }
    const ints = { x: { values: Int32Array.from({ length: 6 }, (_, i) => i), shape: [3, 2], dtype: 'int32' as const } };
    expect(Array.from((await runOn('wasm', 'Sum', ints, { axis: 0, keepDims: false })).values)).toEqual([6, 9]);
  });

  it("Sum and Mean over leading axes give tfjs's own kernel's results to the bit, so training follows the same path", async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor(randomArray(9 * 28 * 28 * 5, 12), [9, 28, 28, 5]);
    for (const kernel of ['Sum', 'Mean']) {
      const attrs = { axis: [0, 1, 2], keepDims: false };
      const ours = tf.engine().runKernel(kernel, { x }, attrs) as tf.Tensor;
      const backend = tf.backend() as unknown as Parameters<ReturnType<typeof wasmKernel>>[0]['backend'];
      const info = wasmKernel(kernel)({
        inputs: { x: { dataId: x.dataId, shape: x.shape, dtype: x.dtype } },
        backend,
        attrs,
      });
      const theirs = tf.engine().makeTensorFromTensorInfo(info);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
      tf.dispose([ours, theirs]);
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  const matMulCases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      for (const [batchA, batchB, m, k, n] of [
        [[], [], 1, 1, 1],
        [[], [], 7, 5, 3],
        [[], [], 64, 33, 96],
        [[3], [3], 4, 6, 5],
        [[2], [1], 5, 3, 4],
        [[1], [4], 2, 7, 3],
      ] as const) {
        const a = transposeA ? [...batchA, k, m] : [...batchA, m, k];
        const b = transposeB ? [...batchB, n, k] : [...batchB, k, n];
        matMulCases.push({ a, b, transposeA, transposeB });
      }
    }
  }

  it.each(matMulCases)('BatchMatMul: a $a, b $b, transposeA $transposeA, transposeB $transposeB', async (c) => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const inputs = {
      a: { values: randomArray(size(c.a), 5), shape: c.a, dtype: 'float32' as const },
      b: { values: randomArray(size(c.b), 6), shape: c.b, dtype: 'float32' as const },
    };
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
    const ref = await runOn('cpu', 'BatchMatMul', inputs, attrs);
    const out = await runOn('wasm', 'BatchMatMul', inputs, attrs);
    expect(out.shape).toEqual(ref.shape);
    expect(relativeError(out.values, ref.values)).toBeLessThan(1e-6);
  });

  it.each([
    { transposeA: true, transposeB: false, activation: 'relu' },
    { transposeA: false, transposeB: true, activation: 'linear' },
    { transposeA: true, transposeB: true, activation: 'sigmoid' },
  ])('_FusedMatMul with a bias: transposeA $transposeA, transposeB $transposeB, $activation', async (c) => {
    const [m, k, n] = [6, 9, 4];
    const inputs = {
      // Rank 3, as tfjs's fused matMul op hands its kernel.
      a: { values: randomArray(m * k, 7), shape: c.transposeA ? [1, k, m] : [1, m, k], dtype: 'float32' as const },
      b: { values: randomArray(k * n, 8), shape: c.transposeB ? [1, n, k] : [1, k, n], dtype: 'float32' as const },
      bias: { values: randomArray(n, 9), shape: [n], dtype: 'float32' as const },
    };
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB, activation: c.activation };
    const ref = await runOn('cpu', '_FusedMatMul', inputs, attrs);
    const out = await runOn('wasm', '_FusedMatMul', inputs, attrs);
    expect(out.shape).toEqual([1, m, n]);
    expect(relativeError(out.values, ref.values)).toBeLessThan(1e-6);
  });

  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

  it.each([
    { shape: [10], begin: [3], size: [4] },
    { shape: [4, 6], begin: [1, 0], size: [2, 6] },
    { shape: [4, 6], begin: [0, 2], size: [4, 3] },
    { shape: [5, 4, 3], begin: [1, 1, 0], size: [3, 2, 3] },
    { shape: [5, 4, 3], begin: [2, 0, 1], size: [1, 4, 2] },
    { shape: [2, 3, 4, 5], begin: [1, 0, 2, 1], size: [1, 3, 2, 3] },
    { shape: [2, 3, 4, 5, 2], begin: [0, 1, 1, 0, 1], size: [2, 2, 3, 5, 1] },
    { shape: [3, 4], begin: [1, 1], size: [0, 2] },
  ])('Slice: $shape from $begin, size $size', async (c) => {
    const inputs = { x: { values: randomArray(size(c.shape), 10), shape: c.shape, dtype: 'float32' as const } };
    const attrs = { begin: c.begin, size: c.size };
    const ref = await runOn('cpu', 'Slice', inputs, attrs);
    const out = await runOn('wasm', 'Slice', inputs, attrs);
    expect(out.shape).toEqual(c.size);
    expect(Array.from(out.values)).toEqual(Array.from(ref.values));
  });

  it.each([
    { shape: [5, 3, 4], axis: 0 },
    { shape: [5, 3, 4], axis: 1 },
    { shape: [5, 3, 4], axis: 2 },
    { shape: [2, 7], axis: -1 },
  ])('Unpack and SplitV: $shape along axis $axis', async (c) => {
    await tf.setBackend('cpu');
    const values = randomArray(size(c.shape), 11);
    const on = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const x = tf.tensor(values, c.shape);
      const parts = tf.unstack(x, c.axis);
      const axisLength = c.shape.at(c.axis) as number;
      const splits = tf.split(x, [1, axisLength - 1], c.axis);
      const result = {
        parts: parts.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) })),
        splits: splits.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) })),
      };
      tf.dispose([x, ...parts, ...splits]);
      expect(tf.memory().numTensors).toBe(before);
      return result;
    };
    const ref = await on('cpu');
    const out = await on('wasm');
    expect(out).toEqual(ref);
    expect(out.parts).toHaveLength(c.shape.at(c.axis) as number);
  });

  it('names the kernel and the configuration it does not support', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 2, 4, 4]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NCHW',
        filterShape: [3, 3, 2, 2],
      } as unknown as tf.NamedAttrMap),
    ).toThrow("Conv2DBackpropFilter (neurona, wasm backend): dataFormat 'NCHW' is not supported; allowed: 'NHWC'");
    const filter = tf.zeros([3, 3, 2, 2]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NCHW',
        inputShape: [1, 2, 4, 4],
      } as unknown as tf.NamedAttrMap),
    ).toThrow("Conv2DBackpropInput (neurona, wasm backend): dataFormat 'NCHW' is not supported; allowed: 'NHWC'");
    const flags = tf.tensor1d([1, 0, 1], 'bool');
    const ids = tf.tensor1d([0, 1, 0], 'int32');
    const segmentAttrs = { numSegments: 2 } as unknown as tf.NamedAttrMap;
    const segmentSum = () => tf.engine().runKernel('UnsortedSegmentSum', { x: flags, segmentIds: ids }, segmentAttrs);
    expect(segmentSum).toThrow(
      'UnsortedSegmentSum (neurona, wasm backend): dtype bool is not supported; allowed: float32, int32',
    );
    tf.dispose([x, dy, filter, flags, ids]);
  });

  it.each([
    { rows: 7, rowShape: [3], segments: 4 },
    { rows: 1, rowShape: [17], segments: 1 },
    { rows: 50, rowShape: [2, 3], segments: 11 },
  ])('UnsortedSegmentSum: $rows rows of $rowShape into $segments segments', async (c) => {
    const rowSize = c.rowShape.reduce((a, b) => a * b, 1);
    const rng = createRng(c.rows);
    // Ids run to numSegments inclusive: the out-of-range ones are dropped by both backends.
    const ids = Int32Array.from({ length: c.rows }, () => (c.rows === 1 ? 0 : rng.int(c.segments + 1)));
    const inputs = {
      x: {
        values: randomArray(c.rows * rowSize, c.segments),
        shape: [c.rows, ...c.rowShape],
        dtype: 'float32' as const,
      },
      segmentIds: { values: ids, shape: [c.rows], dtype: 'int32' as const },
    };
    const ref = await runOn('cpu', 'UnsortedSegmentSum', inputs, { numSegments: c.segments });
    const out = await runOn('wasm', 'UnsortedSegmentSum', inputs, { numSegments: c.segments });
    expect(out.shape).toEqual([c.segments, ...c.rowShape]);
    expect(relativeError(out.values, ref.values)).toBeLessThan(1e-6);
  });

  it.each([
    { size: 7, channels: 8, kernel: 3, stride: 1, pad: 'same' as Pad },
    { size: 14, channels: 4, kernel: 3, stride: 2, pad: 'same' as Pad },
    { size: 9, channels: 3, kernel: 3, stride: 1, pad: 'valid' as Pad },
  ])(
    'depthwise gradients (borrowed from the CPU): $size×$size×$channels, $kernel×$kernel, stride $stride, $pad',
    async (c) => {
      const x = {
        values: randomArray(2 * c.size * c.size * c.channels, 1),
        shape: [2, c.size, c.size, c.channels] as [number, number, number, number],
        dtype: 'float32' as const,
      };
      const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.channels, 1];
      const filter = {
        values: randomArray(c.kernel * c.kernel * c.channels, 2),
        shape: filterShape,
        dtype: 'float32' as const,
      };
      await tf.setBackend('cpu');
      const outShape = tf.tidy(
        () =>
          tf.depthwiseConv2d(tf.zeros(x.shape) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad)
            .shape,
      );
      const dy = {
        values: randomArray(
          outShape.reduce((a, b) => a * b, 1),
          3,
        ),
        shape: outShape,
        dtype: 'float32' as const,
      };
      const common = { strides: [c.stride, c.stride], pad: c.pad, dilations: [1, 1] };
      const filterAttrs = { ...common, filterShape };
      const inputAttrs = { ...common, inputShape: x.shape };
      const refFilter = await runOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, filterAttrs);
      const outFilter = await runOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, filterAttrs);
      expect(outFilter.shape).toEqual(filterShape);
      expect(relativeError(outFilter.values, refFilter.values)).toBeLessThan(1e-6);
      const refInput = await runOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, inputAttrs);
      const outInput = await runOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, inputAttrs);
      expect(outInput.shape).toEqual(x.shape);
      expect(relativeError(outInput.values, refInput.values)).toBeLessThan(1e-6);
    },
  );

  it('trains a seeded CNN and an Embedding + LSTM for 20 steps with the same losses as the CPU', async () => {
    const cnn = (seed: number) => {
      const rng = createRng(seed);
      const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
      const m = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [12, 12, 1],
            filters: 6,
            kernelSize: 3,
            activation: 'relu',
            kernelInitializer: init(),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({
            filters: 8,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: init(),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init() }),
        ],
      });
      m.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
      return m;
    };
    const rnn = (seed: number) => {
      const rng = createRng(seed);
      const init = () => tf.initializers.glorotUniform({ seed: rng.nextSeed() });
      const m = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 12, outputDim: 6, inputLength: 5, embeddingsInitializer: init() }),
          tf.layers.lstm({ units: 8, kernelInitializer: init(), recurrentInitializer: init() }),
          tf.layers.dense({ units: 12, activation: 'softmax', kernelInitializer: init() }),
        ],
      });
      m.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const losses = async (backend: 'cpu' | 'wasm', build: (seed: number) => tf.LayersModel, kind: 'cnn' | 'rnn') => {
      await tf.setBackend(backend);
      const rng = createRng(99);
      const m = build(5);
      // One fixed batch, trained on 20 times: the loss must fall on both backends.
      const [x, y] =
        kind === 'cnn'
          ? [
              tf.tensor4d(
                Float32Array.from({ length: 8 * 144 }, () => rng.next()),
                [8, 12, 12, 1],
              ),
              tf.oneHot(
                tf.tensor1d(
                  Int32Array.from({ length: 8 }, () => rng.int(4)),
                  'int32',
                ),
                4,
              ),
            ]
          : [
              tf.tensor2d(
                Float32Array.from({ length: 8 * 5 }, () => rng.int(12)),
                [8, 5],
              ),
              tf.tensor2d(
                Float32Array.from({ length: 8 }, () => rng.int(12)),
                [8, 1],
              ),
            ];
      const out: number[] = [];
      for (let step = 0; step < 20; step++) out.push((await m.trainOnBatch(x, y)) as number);
      tf.dispose([x, y]);
      const optimizer = m.optimizer;
      m.dispose();
      optimizer.dispose();
      return out;
    };
    for (const [build, kind] of [
      [cnn, 'cnn'],
      [rnn, 'rnn'],
    ] as const) {
      const ref = await losses('cpu', build, kind);
      const got = await losses('wasm', build, kind);
      expect(ref[19]).toBeLessThan(ref[0] as number);
      got.forEach((loss, i) => {
        expect(Math.abs(loss - (ref[i] as number))).toBeLessThan(1e-3);
      });
    }
  });

  it('registering twice keeps one kernel and still reports it as ours', () => {
    expect(registerWasmTrainingKernels()).toEqual(ALL);
    expect(tf.getKernel('Tile', 'wasm')).toBe(wasmTrainingKernels.find((k) => k.kernelName === 'Tile'));
  });
});
