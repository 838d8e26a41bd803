import { describe, expect, it } from 'vitest';
import { neurona } from './neurona.js';

describe('neurona model', () => {
  it('lists the named networks', async () => {
    const { code, stdout } = await neurona('model', 'list');
    expect(code).toBe(0);
    for (const name of [
      'mlp',
      'mnist-cnn',
      'fashion-cnn',
      'dogs-cats-cnn',
      'vgg16',
      'vgg19',
      'resnet50',
      'mobilenet',
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s+ch `, 'm'));
    }
  });

  it('prints a Keras-style summary ending with the parameter totals', async () => {
    const { code, stdout, stderr } = await neurona(
      'model',
      'summary',
      'vgg16',
      '--input-shape',
      '224,224,3',
      '--classes',
      '1000',
    );
    expect(code).toBe(0);
    expect(stderr).not.toContain('tfjs-node'); // no "install tfjs-node" banner for building a model
    expect(stdout).toContain('block1_conv1 (Conv2D)        (None, 224, 224, 64)      1792');
    expect(stdout).toMatch(/Total params: 138,357,544\nTrainable params: 138,357,544\nNon-trainable params: 0\n/);
    const small = await neurona('model', 'summary', 'resnet50', '--input-shape', '64,64,3', '--classes', '10');
    expect(small.stdout).toContain('Total params: 23,608,202');
  });

  it('names a bad model or shape', async () => {
    const unknown = await neurona('model', 'summary', 'alexnet');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      "neurona: 'alexnet' is not a known model; known: mlp, mnist-cnn, fashion-cnn, dogs-cats-cnn, vgg16, vgg19, resnet50, mobilenet",
    );
    const shape = await neurona('model', 'summary', 'vgg16', '--input-shape', '224,224');
    expect(shape.stderr).toContain("argument '224,224' is invalid. must be HEIGHT,WIDTH,CHANNELS");
    const fixed = await neurona('model', 'summary', 'vgg16', '--input-shape', '150,150,3');
    expect(fixed.stderr).toContain(
      "vgg16: option 'inputShape' is [150,150,3]; allowed: [224, 224, 3] with includeTop (the dense top is sized for it) (set with --input-shape)",
    );
    const tiny = await neurona('model', 'summary', 'dogs-cats-cnn', '--input-shape', '20,20,3');
    expect(tiny.code).toBe(1);
    expect(tiny.stderr.trim()).toBe(
      'neurona: dogs_cats_cnn: layer max_pooling2d_2 (MaxPooling2D) turns input [None,1,1,128] into [None,0,0,128]; a kernel or pooling larger than its input makes no model',
    );
  });
});
