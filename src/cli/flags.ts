/** A command-line value that must be a positive integer; a bad one names the flag. */
export function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}
