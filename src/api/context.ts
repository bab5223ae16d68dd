import type { ApiGraph } from './graph.js';

/** Limits resolvers enforce on arguments (the cost and depth limits apply before execution). */
export interface ApiLimits {
  /** Longest path a request may ask for: hop edges before the final access edge. */
  maxHops: number;
  /** Largest page (`first`) a connection returns. */
  maxPageSize: number;
}

/** What every resolver gets. */
export interface ApiContext {
  graph: ApiGraph;
  limits: ApiLimits;
  /** The activity store's DuckDB file (docs/activity.md), when the server has one. */
  activityDatabase?: string;
}
