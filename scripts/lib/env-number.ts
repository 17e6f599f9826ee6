// Whole numbers the build reads from the environment (search shard sizes and the like), checked.

/**
 * `env[name]` as a whole number of at least `min` (0 or 1), or `fallback` when it is unset or
 * empty. Anything else is an error that names the variable and the value.
 */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: 0 | 1): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`${name} must be ${min === 0 ? "a whole number" : "a positive integer"}, not "${value}"`);
  return number;
}
