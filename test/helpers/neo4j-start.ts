import { inject } from 'vitest';
import { DEFAULT_READY_TIMEOUT_MS } from '../../src/local-neo4j/index.js';

/**
 * Time for one start of a local Neo4j on this machine: the default readiness bound, or more when
 * the shared server took long to start (a loaded machine), so a slow start waits for readiness
 * instead of tripping a fixed test timeout. The start itself still fails after this long.
 */
export function neo4jStartMs(): number {
  return Math.max(DEFAULT_READY_TIMEOUT_MS, 4 * inject('neo4jStartMs'));
}

/** A test's timeout: `starts` local Neo4j starts plus `workMs` for everything else it does. */
export function neo4jStartBudgetMs(starts: number, workMs = 120_000): number {
  return starts * neo4jStartMs() + workMs;
}
