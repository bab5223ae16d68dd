import type { GraphExecutor } from '../graph/executor.js';
import { type LoadOptions, type LoadResult, loadInventory } from '../graph/loader.js';
import type { ValidInventory } from '../model/validate.js';
import { computeReachability, type ReachabilityStats } from '../reachability/compute.js';

export interface PublishOptions extends LoadOptions {
  /**
   * Recompute the reachability summary (REACHES rows) once the load succeeded. A summary failure
   * throws a ReachabilityError; the load itself stays recorded as succeeded.
   */
  summary?: boolean;
}

/** A load, and the reachability summary computed after it when asked for. */
export interface PublishResult extends LoadResult {
  reachability?: ReachabilityStats;
}

/**
 * Publishes a validated Inventory: the generic load as one collection run, then (only after it
 * succeeded) the reachability summary over the whole graph, searched on the inventory's own edges
 * when they are all the graph holds. The loader knows nothing of the summary; a failed load never
 * reaches it.
 */
export async function publishInventory(
  executor: GraphExecutor,
  valid: ValidInventory,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const { summary, ...loadOptions } = options;
  const result: PublishResult = await loadInventory(executor, valid, loadOptions);
  if (summary)
    result.reachability = await computeReachability(executor, { runId: result.runId, loaded: valid });
  return result;
}
