/**
 * The package's `data/` folder (the bundled Fashion-MNIST sample and tables) as a URL. Kept at
 * the top of src/ so the same relative path holds in the sources (tests) and in dist/.
 */
export const dataUrl = new URL('../data/', import.meta.url);
