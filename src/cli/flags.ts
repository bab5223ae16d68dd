/** A command-line value that must be a positive integer; a bad one names the flag. */
export function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}

export const AS_OF_FLAGS = '--as-of <date>';
export const AS_OF_DESCRIPTION =
  'analyze as of this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z; default now): decides aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime, so an audit can be reproduced';

/**
 * `--as-of`: an ISO 8601 date or date-time; undefined when not given (the pipeline then uses now).
 * A date-time without an offset is read as UTC, so the same flag gives the same result anywhere.
 */
export function asOfDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    value.trim(),
  );
  const text = value.trim();
  const utc = iso && !iso[4] ? (iso[1] ? `${text}Z` : `${text}T00:00:00Z`) : text;
  const date = iso ? new Date(utc) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new Error(
      `--as-of: expected an ISO 8601 date or date-time (2026-01-31, 2026-01-31T12:00:00Z), got "${value}"`,
    );
  return date;
}
