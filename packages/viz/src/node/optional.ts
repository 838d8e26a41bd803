import { MissingPackageError } from '@neurona/errors';
/**
 * Loads one of this entry point's optional peers (sharp, vega, vega-lite, @resvg/resvg-js) when it
 * is first needed, or throws an error naming the package, what needs it and how to install it.
 */
export async function importOptional<T>(specifier: string, neededBy: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    throw new MissingPackageError(specifier, neededBy, { cause: error });
  }
}
