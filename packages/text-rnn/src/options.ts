import { InvalidOptionError } from '@neurona/core';

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(
  where: string,
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
) {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new InvalidOptionError(
      where,
      option,
      value,
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
    );
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(where: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InvalidOptionError(where, option, value, allowed.join(', '));
  return value as T;
}
