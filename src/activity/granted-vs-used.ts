import { scopeOf } from '../analyzers/aws-iam/edges/nodes.js';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { gcpScope } from '../model/gcp/ids.js';
import { k8sScope } from '../model/kubernetes/ids.js';
import type { ActivityStore, Coverage } from './store.js';

/** One edge the analysis derived from the identity, as the graph holds it. */
export interface GrantedEdge {
  type: 'CAN_ACCESS' | 'CAN_ASSUME' | 'FEDERATES_TO' | 'CAN_IMPERSONATE';
  target: string;
  levels: string[] | null;
  actions: string[] | null;
  environment: string | null;
}

/**
 * Successful calls made through a delegation chain that passes through the identity: `origin` is the
 * chain as the store keeps it (GCP: real actor first, `A > B > C`, ending with the account used;
 * Kubernetes: the real actor of an impersonated request), `identity` the account whose permissions
 * the calls used.
 */
export interface DelegatedCalls {
  origin: string;
  identity: string;
  count: number;
  lastTime: string;
}

/**
 * The impersonation hops (from, to) of one delegation chain. A GCP chain lists every delegator, real
 * actor first, and ends with the account used (`serviceAccountDelegationInfo`,
 * https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog#AuthenticationInfo);
 * a Kubernetes origin is the one real actor of an impersonated request
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
 */
export function delegationHops(origin: string, identity: string): [string, string][] {
  const chain = origin.split(' > ');
  if (chain.at(-1) !== identity) chain.push(identity);
  return chain.slice(1).map((to, i) => [chain[i] as string, to]);
}

/** One (action, resource, outcome) the identity's logged calls hold over the window. */
export interface UsedCall {
  action: string;
  resource: string | null;
  outcome: string;
  count: number;
  lastTime: string;
}

export interface GrantedUse extends GrantedEdge {
  used: boolean;
  useCount: number;
  lastUsed: string | null;
  /** The actions the identity's successful calls on the target used. */
  actionsUsed: string[];
}

export interface GrantedVsUsed {
  identity: string;
  /**
   * The coverage of the identity's own scope (its AWS account, GCP project or cluster) and of the
   * accounts its calls were logged in: the window "unused" holds over. Empty when no log of those
   * was ingested, and then nothing is known to be unused.
   */
  coverage: Coverage[];
  granted: GrantedUse[];
  /** Successful role assumptions the logs hold that no CAN_ASSUME / FEDERATES_TO edge predicted. */
  unpredicted: UsedCall[];
  /** Successful impersonations by the identity (GCP delegation chains, Kubernetes impersonation) that no CAN_IMPERSONATE edge predicted. */
  unpredictedImpersonations: DelegatedCalls[];
  /** Refused calls: what the identity tried and was not allowed. */
  denied: UsedCall[];
}

/**
 * The calls that assume a role (https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html):
 * their resource is the role assumed.
 */
const ASSUME_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithwebidentity', 'sts:assumerolewithsaml']);

/**
 * Whether a logged resource is the granted one or inside it: an S3 object (`arn:aws:s3:::bucket/key`)
 * is inside its bucket's ARN, which is the resource of the graph's S3 access edges.
 */
export function withinResource(logged: string, granted: string): boolean {
  return logged === granted || logged.startsWith(`${granted}/`);
}

/**
 * Granted vs used for one identity (pure): each granted edge is used when a successful call reached its
 * target (for CAN_ACCESS: a call on the resource or inside it; for CAN_ASSUME / FEDERATES_TO: an
 * assumption of the role; for CAN_IMPERSONATE: a successful call whose delegation chain takes the hop
 * from the identity to the target); successful assumptions and impersonations no edge predicted are
 * listed apart (the snapshot or the analysis missed something); refused calls are listed as they are.
 */
export function compareGrantedUsed(
  granted: GrantedEdge[],
  calls: UsedCall[],
  delegated: DelegatedCalls[] = [],
  identity = '',
): Omit<GrantedVsUsed, 'identity' | 'coverage'> {
  // The calls each impersonation hop of the identity enabled, by target.
  const impersonated = new Map<string, UsedCall[]>();
  for (const d of delegated)
    for (const [from, to] of delegationHops(d.origin, d.identity))
      if (from === identity)
        impersonated.set(to, [
          ...(impersonated.get(to) ?? []),
          {
            action: 'impersonate',
            resource: to,
            outcome: 'success',
            count: d.count,
            lastTime: d.lastTime,
          },
        ]);
  const successes = calls.filter((c) => c.outcome === 'success' && c.resource !== null);
  const assumptions = successes.filter((c) => ASSUME_ACTIONS.has(c.action.toLowerCase()));
  const uses = granted.map((edge): GrantedUse => {
    const hits =
      edge.type === 'CAN_ACCESS'
        ? successes.filter(
            (c) =>
              !ASSUME_ACTIONS.has(c.action.toLowerCase()) &&
              withinResource(c.resource as string, edge.target),
          )
        : edge.type === 'CAN_IMPERSONATE'
          ? (impersonated.get(edge.target) ?? [])
          : assumptions.filter((c) => c.resource === edge.target);
    const lastUsed =
      hits
        .map((h) => h.lastTime)
        .sort()
        .at(-1) ?? null;
    return {
      ...edge,
      used: hits.length > 0,
      useCount: hits.reduce((sum, h) => sum + h.count, 0),
      lastUsed,
      actionsUsed: [...new Set(hits.map((h) => h.action))].sort(),
    };
  });
  const predicted = new Set(
    granted.filter((g) => g.type === 'CAN_ASSUME' || g.type === 'FEDERATES_TO').map((g) => g.target),
  );
  const impersonable = new Set(granted.filter((g) => g.type === 'CAN_IMPERSONATE').map((g) => g.target));
  return {
    granted: uses,
    unpredicted: assumptions.filter((c) => !predicted.has(c.resource as string)),
    unpredictedImpersonations: delegated.filter((d) =>
      delegationHops(d.origin, d.identity).some(([from, to]) => from === identity && !impersonable.has(to)),
    ),
    denied: calls.filter((c) => c.outcome === 'denied'),
  };
}

/** Granted (from the graph) vs used (from the activity store) for one identity. */
export async function grantedVsUsed(
  executor: GraphExecutor,
  store: ActivityStore,
  identity: string,
): Promise<GrantedVsUsed> {
  const granted = await executor.read<GrantedEdge>(cypherFile('activity/granted').text, { id: identity });
  const calls = await store.callsOf(identity);
  const delegated = await store.delegatedThrough(identity);
  const accounts = new Set(await store.accountsOf(identity));
  const [owner] = await executor.read<{ scope: string | null }>(cypherFile('activity/identity-scope').text, {
    id: identity,
  });
  const coverage = (await store.coverage()).filter(
    (c) => accounts.has(c.account) || (owner?.scope != null && coverageScope(c) === owner.scope),
  );
  return { identity, coverage, ...compareGrantedUsed(granted, calls, delegated, identity) };
}

/** The graph scope a coverage row's account is: an AWS account, a GCP project, a cluster. */
export function coverageScope(coverage: Coverage): string | undefined {
  switch (coverage.source) {
    case 'aws-cloudtrail':
      return scopeOf(coverage.account);
    case 'gcp-audit':
      return gcpScope(coverage.account);
    case 'kubernetes-audit':
      return k8sScope(coverage.account);
    default:
      return undefined;
  }
}
