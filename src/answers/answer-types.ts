import type { Evidence } from '../model/evidence.js';

/**
 * The answers of the path questions (escalations, admins, reach, who-can), one shape whether they
 * come from Neo4j (cypher/queries/) or from the in-memory graph of a snapshot, so the two can be
 * compared and scripts do not care which one answered.
 */

/** One edge of a path, with what creates it. */
export interface PathHop {
  from: string;
  to: string;
  type: string;
  /** The escalation technique of a CAN_ESCALATE hop, else null. */
  technique: string | null;
  reason: string;
  evidence: Evidence[];
  /** The hop holds only under conditions that cannot be decided offline. */
  conditional: boolean;
  /** CAN_ESCALATE: what must also exist for the technique to work and was not seen (possible-if). */
  requires?: string[];
  /** The Grant hub (model/grants.ts) this edge stands for a route through, for traceability. */
  grant?: string;
}

/** A principal that is not an administrator of `account` but can become one. */
export interface EscalationAnswer {
  principal: string;
  account: string;
  /** Hop edges on the path (the final ADMINISTERS edge is not a hop). */
  hops: number;
  /** The path ends with the principal (or one it becomes) making itself administrator. */
  self: boolean;
  /** Some hop of the path is conditional. */
  conditional: boolean;
  /** The shortest path, ending in ADMINISTERS or in a CAN_ESCALATE edge to the account. */
  path: PathHop[];
}

/** A principal whose effective permissions amount to full control of an account. */
export interface AdminAnswer {
  principal: string;
  account: string;
  reason: string;
  evidence: Evidence[];
  conditional: boolean;
}

/** A principal that can reach a resource, directly or through hops, and how. */
export interface AccessPathAnswer {
  principal: string;
  resource: string;
  hops: number;
  /** The access levels of the final CAN_ACCESS edge. */
  levels: string[];
  conditional: boolean;
  path: PathHop[];
}

export interface EscalationOptions {
  /** 12-digit account id; all accounts when absent. */
  account?: string;
  maxHops?: number;
}

export interface AdminOptions {
  account?: string;
}

export interface ReachOptions {
  /** A principal id, or a filter such as `nonHuman=true,account=111111111111`. */
  from: string;
  /** A resource id, or a filter such as `environment=production,type=AwsS3Bucket`. */
  to: string;
  /** Only paths whose final CAN_ACCESS grants this level. */
  level?: string;
  maxHops?: number;
  /** Only routes without a conditional edge. */
  certain?: boolean;
}

export interface WhoCanOptions {
  resource: string;
  level?: string;
  maxHops?: number;
  /** Only routes without a conditional edge. */
  certain?: boolean;
}

/** The path questions, answered by Neo4j or by the in-memory graph. */
export interface PathQueries {
  escalations(options?: EscalationOptions): Promise<EscalationAnswer[]>;
  admins(options?: AdminOptions): Promise<AdminAnswer[]>;
  reach(options: ReachOptions): Promise<AccessPathAnswer[]>;
  whoCan(options: WhoCanOptions): Promise<AccessPathAnswer[]>;
}
