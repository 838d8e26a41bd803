// README example of @neurona/errors: branch on the class, read the data, across copies.
import { InvalidOptionError, MissingPackageError, NeuronaError } from '@neurona/errors';

function trainSomething(batchSize: number) {
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new InvalidOptionError('trainSomething', 'batchSize', batchSize, 'an integer >= 1');
}

try {
  trainSomething(0);
  throw new Error('no error thrown');
} catch (error) {
  if (!InvalidOptionError.isInstance(error)) throw error;
  if (
    error.option !== 'batchSize' ||
    error.message !== "trainSomething: option 'batchSize' is 0; allowed: an integer >= 1"
  )
    throw new Error(`wrong error: ${error.message}`);
  if (!NeuronaError.isInstance(error) || MissingPackageError.isInstance(error)) throw new Error('isInstance is wrong');
  console.log(`errors: ${error.name} (${error.option}): ${error.message}`);
}
