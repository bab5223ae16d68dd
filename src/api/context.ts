import type { ApiGraph } from './graph.js';
import type { Access } from './token-scope.js';

/** Limits resolvers enforce on arguments (the cost and depth limits apply before execution). */
export interface ApiLimits {
  /** Longest path a request may ask for: hop edges before the final access edge. */
  maxHops: number;
  /** Largest page (`first`) a connection returns. */
  maxPageSize: number;
}

/** What every resolver gets. */
export interface ApiContext {
  /** Narrowed to the token's scope, when it has one (see token-scope.ts). */
  graph: ApiGraph;
  /** The token's rights: read only or not, and its scope. */
  access: Access;
  limits: ApiLimits;
  /** The activity store's DuckDB file (docs/activity.md), when the server has one. */
  activityDatabase?: string;
}
