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
  /**
   * Whether the hop's source used it over the window the activity logs cover (docs/activity.md):
   * present only when logs cover the source, never claimed over a window no log holds.
   */
  used?: boolean;
  /** With `used`: the successful calls that used the hop. */
  useCount?: number;
  /** With `used`: the last of those calls (ISO 8601), null when unused. */
  lastUsed?: string | null;
}

/** The window the activity logs cover for a route's identity (docs/activity.md, window semantics). */
export interface ActivityWindow {
  start: string;
  end: string;
}

/**
 * A principal that does not control `target` but can come to: an administrator of an AWS account,
 * cluster-admin of a Kubernetes cluster, or root on a Kubernetes node (escalation-targets.ts).
 */
export interface EscalationAnswer {
  principal: string;
  /** The target's node id (`aws:account:…`, `k8s:<cluster>`, `k8s:<cluster>:node:<name>`). */
  target: string;
  /** The target's kind: AwsAccount, K8sCluster, K8sNode, GcpOrganization, GcpFolder or GcpProject. */
  targetKind: string;
  /** The 12-digit account id when the target is an AWS account, else null. */
  account: string | null;
  /** Hop edges on the path (the final ADMINISTERS edge is not a hop). */
  hops: number;
  /** The path ends with the principal (or one it becomes) making itself administrator of the scope. */
  self: boolean;
  /** Some hop of the path is conditional. */
  conditional: boolean;
  /** The shortest path, ending in ADMINISTERS, or in a CAN_ESCALATE edge into the scope or the node. */
  path: PathHop[];
}

/** A principal whose effective permissions amount to full control of a scope (an account, a cluster). */
export interface AdminAnswer {
  principal: string;
  /** The scope's node id (`aws:account:…`, `k8s:<cluster>`). */
  target: string;
  targetKind: string;
  /** The 12-digit account id when the scope is an AWS account, else null. */
  account: string | null;
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
  /**
   * Whether the route was exercised end to end over the covered window: true when every hop was
   * used, false when a hop was not; absent when the logs do not say (a hop's use is unknown).
   */
  exercised?: boolean;
  /** The window the logs cover for the identity, when they cover it. */
  activityWindow?: ActivityWindow;
}

/** Which scopes or nodes an escalation or admin question is about; everything when all are absent. */
export interface TargetOptions {
  /** 12-digit AWS account id. */
  account?: string;
  /** Kubernetes cluster name: the cluster and its nodes. */
  cluster?: string;
  /** Only targets of this kind: AwsAccount, K8sCluster, K8sNode, GcpOrganization, GcpFolder, GcpProject. */
  kind?: string;
}

export interface EscalationOptions extends TargetOptions {
  maxHops?: number;
}

export type AdminOptions = TargetOptions;

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
