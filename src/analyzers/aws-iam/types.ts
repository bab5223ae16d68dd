import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { AwsAccountData, AwsEnvironment, AwsResourceData } from '../../model/aws/environment.js';
import type { InventoryNode, InventoryRelationship } from '../../model/inventory.js';
import type { DeriveOptions } from './edges/grant-hubs.js';
import type { ContextValues, Decision, PolicySet, RequestPrincipal } from './engine/types.js';

/**
 * The analyzer's contracts: the environment-aware authorizer every edge family asks, the edge
 * families themselves, and the escalation techniques. All pure: no network, no Neo4j.
 */

/** A principal of the environment as the authorizer knows it. */
export interface PrincipalInfo {
  /** Graph id: the ARN for users, roles and account roots. */
  id: string;
  kind: 'AwsUser' | 'AwsRole';
  accountId: string;
  request: RequestPrincipal;
}

/**
 * Answers "may principal P perform action A on resource R" over a whole environment: it gathers
 * the PolicySet (identity policies incl. groups, boundary, SCPs/RCPs of the right accounts, the
 * resource's policy, trust policies) and calls the engine. It indexes statements by service and
 * action prefix so that the edge families never loop over all principal pairs or all
 * (principal, action, resource) triples.
 */
export interface Authorizer {
  readonly environment: AwsEnvironment;
  principals(): PrincipalInfo[];
  principal(id: string): PrincipalInfo | undefined;
  account(accountId: string): AwsAccountData | undefined;
  /** Every collected resource whose ARN matches, by type. */
  resources(type?: AwsResourceData['type']): AwsResourceData[];
  /** A role, user or resource ARN's owning account, when collected. */
  accountOf(arn: string): string | undefined;
  /**
   * The full decision (identity side, resource side, boundary, SCP/RCP, trust or key policy) for
   * one request. `resourceArn` may be `*` for actions without a resource.
   */
  evaluate(principalId: string, action: string, resourceArn: string, context?: ContextValues): Decision;
  /**
   * Cheap prefilter: false when no Allow statement reachable by the principal (identity side, or a
   * resource policy naming it or its account) can match the action. True means "evaluate to know".
   */
  mayAllow(principalId: string, action: string): boolean;
  /**
   * Resource ARN patterns the principal's identity-side Allow statements give for an action
   * (after variables), so callers can enumerate candidate resources through an ARN index instead
   * of trying every resource.
   */
  resourcePatterns(principalId: string, action: string): string[];
  /** Is the principal an administrator of its account (effective permissions amount to full control)? */
  isAdmin(principalId: string): Decision;
  /** Collected resources a Resource pattern names, through the ARN index (optionally of one type). */
  resourcesMatching?(pattern: string, type?: AwsResourceData['type']): AwsResourceData[];
  /** Collected resources whose resource policy has an Allow for the action naming the principal, its account or `*`. */
  resourcesNaming?(principalId: string, action: string, options?: NamingOptions): AwsResourceData[];
  /** Collected users and roles an ARN pattern names (e.g. the Resource of iam:PassRole). */
  principalsMatching?(pattern: string): PrincipalInfo[];
  /**
   * For one principal and one action: requests on resources with equal keys get the same granted
   * decision (outcome, granting and denying statements, conditions), so callers deciding many
   * resources may evaluate one per key. Undefined when the request shares with nothing (a resource
   * with its own policy, a principal outside the collected data).
   */
  decisionKey?(principalId: string, action: string, resourceArn: string): string | undefined;
  /**
   * `evaluate`'s decision when it permits the request (allow or conditional), else undefined, for
   * callers that act only on a permission: an authorizer may answer it without deciding every
   * request apart (a what-if view shares it across resources of one `decisionKey`).
   */
  permitted?(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision | undefined;
  /**
   * `decisionKey` for requests on resources whose own policy takes part (and requests with a
   * context): equal keys give decisions equal up to the resource policy's statements they cite, and
   * a decision `sharesResourceDecision` accepts stands for every request of its key.
   */
  resourceDecisionKey?(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): string | undefined;
  sharesResourceDecision?(
    principalId: string,
    action: string,
    resourceArn: string,
    decision: Decision,
  ): boolean;
  /** The PolicySet `evaluate` hands the engine for a collected principal's request (undefined for others). */
  policySet?(principalId: string, action: string, resourceArn: string): PolicySet | undefined;
}

export interface NamingOptions {
  /**
   * Include resources whose policy names only the principal's account (default true). Such a grant
   * never suffices alone: the principal's identity side must allow too, so callers that already
   * enumerate the identity side's Resource patterns can leave them out.
   */
  byAccount?: boolean;
}

/** A derived edge is an Inventory relationship whose evidence says why it exists. */
export type DerivedEdge = InventoryRelationship;

export interface EdgeFamilyOutput {
  edges: DerivedEdge[];
  findings?: AnalysisFinding[];
  /** Nodes the family introduces (OidcSubject, ExternalPrincipal, AwsServicePrincipal…). */
  nodes?: InventoryNode[];
}

/**
 * One family of derived edges (one file each under `edges/`), registered in `edges/registry.ts`,
 * which rejects duplicate names and orders families by `dependsOn`.
 */
export interface EdgeFamily {
  name: string;
  /**
   * Relationship types it emits; their meaning, ATT&CK technique and help are declared once, in
   * src/model/relationship-kinds.ts.
   */
  emits: string[];
  /** How the family derives its edges from the AWS environment (for docs/edges.md). */
  description: string;
  dependsOn?: string[];
  /** `options.grantHubs`: factor callers × targets products into Grant hubs (edges/grant-hubs.ts). */
  derive(authorizer: Authorizer, options?: DeriveOptions): EdgeFamilyOutput;
}
