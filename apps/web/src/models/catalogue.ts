/** A model the chapter-12 page can show: its name, group and what it is. */
export interface CatalogueEntry {
  name: string;
  group: 'Named networks (ch. 12)' | 'The functional API (ch. 12)' | "The book's own networks";
  description: string;
  /** Weights it allocates when built (for the wait message): VGG's take seconds. */
  parameters: string;
}

/** Every model the page builds, in the order it lists them. */
export const catalogue: readonly CatalogueEntry[] = [
  { name: 'vgg16', group: 'Named networks (ch. 12)', description: 'VGG16, as keras.applications', parameters: '138 M' },
  { name: 'vgg19', group: 'Named networks (ch. 12)', description: 'VGG19, as keras.applications', parameters: '144 M' },
  {
    name: 'resnet50',
    group: 'Named networks (ch. 12)',
    description: 'ResNet50, as keras.applications',
    parameters: '26 M',
  },
  {
    name: 'mobilenet',
    group: 'Named networks (ch. 12)',
    description: 'MobileNet v1, alpha 1.0, as keras.applications',
    parameters: '4.3 M',
  },
  {
    name: 'multi-input',
    group: 'The functional API (ch. 12)',
    description: 'two inputs (an image and a vector of metadata) merged into one classifier',
    parameters: '0.4 K',
  },
  {
    name: 'multi-output',
    group: 'The functional API (ch. 12)',
    description: 'one input, two outputs: a class and a value, trained together',
    parameters: '56 K',
  },
  {
    name: 'shared-layers',
    group: 'The functional API (ch. 12)',
    description: 'one Dense encoder (one set of weights) applied to two inputs, compared',
    parameters: '0.2 K',
  },
  {
    name: 'residual-block',
    group: 'The functional API (ch. 12)',
    description: "two 3×3 convolutions added back to their input: ResNet's idea",
    parameters: '1.2 K',
  },
  {
    name: 'mlp',
    group: "The book's own networks",
    description: 'ch. 5: Flatten → Dense 512 → Dense 10',
    parameters: '407 K',
  },
  { name: 'mnist-cnn', group: "The book's own networks", description: 'ch. 8: the MNIST CNN', parameters: '62 K' },
  {
    name: 'fashion-cnn',
    group: "The book's own networks",
    description: 'ch. 8: the Fashion-MNIST CNN with BatchNormalization and Dropout',
    parameters: '422 K',
  },
  {
    name: 'dogs-cats-cnn',
    group: "The book's own networks",
    description: 'ch. 10: the small Dogs vs Cats CNN',
    parameters: '3.5 M',
  },
];
