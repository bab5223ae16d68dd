/**
 * The one hop bound: how many hop edges a route may take before its ending edge. Every question
 * (CLI, API, reports, summary) takes `maxHops` within these; Cypher gets it as a parameter.
 */

/** The default bound, and the bound the reachability summary is computed with. */
export const DEFAULT_MAX_HOPS = 6;
/** A cost limit: deeper searches are refused rather than left to run. */
export const MAX_HOPS_LIMIT = 10;

/** A bound from a user: an integer from 0 to MAX_HOPS_LIMIT, else an error naming the option. */
export function checkMaxHops(value: number | undefined, option = '--max-hops'): number {
  if (value === undefined) return DEFAULT_MAX_HOPS;
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_HOPS_LIMIT)
    throw new Error(`${option}: expected an integer from 0 to ${MAX_HOPS_LIMIT}, got ${value}`);
  return value;
}
