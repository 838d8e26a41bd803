/**
 * Loads one of this entry point's optional peers (sharp, vega, vega-lite, @resvg/resvg-js) when it
 * is first needed, or throws an error naming the package, what needs it and how to install it.
 */
export async function importOptional<T>(specifier: string, neededBy: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    throw new Error(`${neededBy} needs the optional package '${specifier}' (npm install ${specifier}): ${why}`);
  }
}
