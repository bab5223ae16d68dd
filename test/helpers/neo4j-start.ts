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

/** How long a local Neo4j takes to start on an unloaded machine like the CI runners (about). */
const UNLOADED_START_MS = 15_000;

/**
 * How many times slower than an unloaded machine this one is, judged by a measured Neo4j start
 * (at least 1): bounds on how fast something happens scale by it, so a loaded machine does not
 * fail them while a regression of an order of magnitude still does.
 */
export function machineSlowness(measuredStartMs: number): number {
  return Math.max(1, measuredStartMs / UNLOADED_START_MS);
}
