import { stringify } from 'yaml';
import { loadCatalog } from '../../analyzers/aws-iam/catalog.js';
import { evaluate } from '../../analyzers/aws-iam/engine/evaluate.js';
import type { RequestPrincipal } from '../../analyzers/aws-iam/engine/types.js';
import { cypherFile } from '../../graph/cypher-files.js';
import type { GraphExecutor } from '../../graph/executor.js';
import type { NamedPolicy, PolicyDocument } from '../../model/aws/policy.js';
import { shippedPredefinedRoles } from '../../model/gcp/roles.js';
import { actionProvider } from '../permission-names.js';
import type { ActivityStore, Coverage } from '../store.js';
import { type ActivityWindow, type UnusedPermissions, unusedPermissions } from '../unused-permissions.js';
import {
  type AwsPolicyProposal,
  type GrantCheck,
  proposalKeeps,
  proposeAwsPolicy,
  type UsedPair,
} from './aws-policy.js';
import { type GcpRolesProposal, proposeGcpRoles, usedGcpPermissions } from './gcp-roles.js';
import { proposeK8sRoles, type RbacObject } from './k8s-role.js';

export const LEAST_PRIVILEGE_FORMATS = ['aws-iam-policy', 'k8s-role', 'gcp-roles'] as const;
export type LeastPrivilegeFormat = (typeof LEAST_PRIVILEGE_FORMATS)[number];

/** What a proposal would take away from the identity: granted and never used over the window. */
export interface Removal {
  resources: { resource: string; environment: string | null; actions: string[] }[];
  hops: { type: string; target: string }[];
  pathsToProduction: string[];
}

export interface LeastPrivilegeProposal {
  identity: string;
  format: LeastPrivilegeFormat;
  /** The window the proposal is based on; null when no log covers the identity (then there is no proposal). */
  window: ActivityWindow | null;
  coverage: Coverage[];
  /** Successful calls (events) and distinct actions the proposal keeps allowed. */
  calls: number;
  actions: number;
  /** The proposal as a person applies it: IAM policy JSON, Kubernetes YAML, GCP roles YAML. Null without coverage. */
  document: string | null;
  awsPolicy?: AwsPolicyProposal;
  kubernetes?: RbacObject[];
  gcp?: GcpRolesProposal;
  removes: Removal;
  notes: string[];
}

/** The format that fits an identity's provider, from its node id. */
export function defaultFormat(identity: string): LeastPrivilegeFormat {
  if (identity.startsWith('k8s:')) return 'k8s-role';
  if (identity.startsWith('gcp:')) return 'gcp-roles';
  return 'aws-iam-policy';
}

const FORMAT_PROVIDER = { 'aws-iam-policy': 'aws', 'k8s-role': 'kubernetes', 'gcp-roles': 'gcp' } as const;

interface PolicyRow {
  id: string;
  name: string | null;
  policyType: string | null;
  awsManaged: boolean | null;
  document: string | null;
  attachments: string[] | null;
}

/**
 * The policy engine's decision over the identity's own policies (and its boundary), read from the
 * graph: allowed without condition. Without any collected document, what the access edges grant.
 */
async function awsGrantCheck(
  executor: GraphExecutor,
  identity: string,
  unused: UnusedPermissions,
  notes: string[],
): Promise<GrantCheck> {
  const rows = await executor.read<PolicyRow>(cypherFile('activity/identity-policies').text, {
    id: identity,
  });
  const identityPolicies: NamedPolicy[] = [];
  let permissionsBoundary: NamedPolicy | undefined;
  for (const r of rows) {
    if (!r.document) continue;
    const attachments = r.attachments ?? [];
    const policy = (kind: NamedPolicy['kind']): NamedPolicy => ({
      id: r.id,
      name: r.name ?? r.id,
      kind,
      // The graph holds the collector's normalized document (collectors/aws/inventory.ts), the engine's own form.
      document: JSON.parse(r.document as string) as PolicyDocument,
    });
    if (attachments.includes('permissions-boundary')) permissionsBoundary = policy('permissions-boundary');
    if (attachments.some((a) => a !== 'permissions-boundary'))
      identityPolicies.push(
        policy(r.policyType === 'inline' ? 'inline' : r.awsManaged ? 'aws-managed' : 'customer-managed'),
      );
  }
  if (identityPolicies.length === 0) {
    notes.push(
      'no identity policy document of this identity is in the graph: wildcards are checked against its access edges only',
    );
    return (action, resource) =>
      unused.resources.some(
        (r) =>
          (resource === r.resource || resource.startsWith(`${r.resource}/`)) &&
          r.granted.some((g) => g.toLowerCase() === action.toLowerCase()),
      );
  }
  const account = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(identity)?.[1];
  const principal: RequestPrincipal = {
    arn: identity,
    kind: identity.includes(':role/') ? 'role' : identity.includes(':user/') ? 'user' : 'root',
    ...(account ? { accountId: account } : {}),
  };
  return (action, resource) => {
    const resourceAccount = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? account;
    try {
      return (
        evaluate(
          {
            principal,
            action,
            resource: { arn: resource, ...(resourceAccount ? { accountId: resourceAccount } : {}) },
          },
          { identityPolicies, ...(permissionsBoundary ? { permissionsBoundary } : {}) },
        ).outcome === 'allow'
      );
    } catch {
      return false;
    }
  };
}

/**
 * A least-privilege proposal for one identity over the window its logs cover: one implementation for
 * `reachgraph least-privilege`, the API's `leastPrivilege` and the reports. Only successful calls are
 * kept; what was granted and never used is listed as what the proposal removes.
 */
export async function leastPrivilege(
  executor: GraphExecutor,
  store: ActivityStore,
  identity: string,
  format: LeastPrivilegeFormat = defaultFormat(identity),
): Promise<LeastPrivilegeProposal> {
  const unused = await unusedPermissions(executor, store, identity);
  const provider = FORMAT_PROVIDER[format];
  const calls = (await store.callsOf(identity)).filter(
    (c) => c.outcome === 'success' && actionProvider(c.action) === provider,
  );
  const used: UsedPair[] = calls.map((c) => ({ action: c.action, resource: c.resource }));
  const notes: string[] = [];
  const base = {
    identity,
    format,
    window: unused.window,
    coverage: unused.coverage,
    calls: calls.reduce((n, c) => n + c.count, 0),
    actions: new Set(calls.map((c) => c.action)).size,
  };
  let removes: Removal = {
    resources: unused.resources
      .filter((r) => r.unused.length > 0)
      .map((r) => ({ resource: r.resource, environment: r.environment, actions: r.unused })),
    hops: unused.hops.filter((h) => !h.used).map((h) => ({ type: h.type, target: h.target })),
    pathsToProduction: [...new Set(unused.unusedPathsToProduction.map((p) => p.resource))].sort(),
  };
  if (!unused.window) {
    notes.push(
      'no log covering this identity was ingested: no proposal, since nothing is known to be unused',
    );
    return {
      ...base,
      document: null,
      removes: { resources: [], hops: [], pathsToProduction: [] },
      notes,
    };
  }
  if (used.length === 0) notes.push('no successful call over the window: the proposal grants nothing');
  const header = `window ${unused.window.start} → ${unused.window.end}`;
  switch (format) {
    case 'aws-iam-policy': {
      await loadCatalog();
      const granted = await awsGrantCheck(executor, identity, unused, notes);
      const policy = proposeAwsPolicy(used, granted);
      // A wildcard keeps what it stands for: those are not removed.
      removes = {
        ...removes,
        resources: removes.resources
          .map((r) => ({ ...r, actions: r.actions.filter((a) => !proposalKeeps(policy, a, r.resource)) }))
          .filter((r) => r.actions.length > 0),
      };
      return { ...base, document: JSON.stringify(policy, null, 2), awsPolicy: policy, removes, notes };
    }
    case 'k8s-role': {
      const objects = proposeK8sRoles(identity, used);
      const document = [`# ${header}`, ...objects.map((o) => stringify(o).trimEnd())].join('\n---\n');
      return { ...base, document: `${document}\n`, kubernetes: objects, removes, notes };
    }
    case 'gcp-roles': {
      const permissions = usedGcpPermissions(used.map((u) => u.action));
      // What the identity holds today: the permissions its access edges grant (granted vs used).
      const held = new Set(unused.resources.flatMap((r) => r.granted));
      const proposal = proposeGcpRoles(identity, permissions, shippedPredefinedRoles(), held);
      if (proposal.uncovered.length)
        notes.push(`no predefined role holds ${proposal.uncovered.join(', ')}: use the custom role`);
      if (proposal.notGranted.length)
        notes.push(
          `used but not granted today as the graph holds it, left out: ${proposal.notGranted.join(', ')}`,
        );
      if (proposal.widerThanGranted.length)
        notes.push(
          `${proposal.widerThanGranted.length} predefined role(s) would grant more than the identity holds today and are not proposed`,
        );
      const document = `# ${header}\n${stringify({
        predefinedRoles: proposal.roles.map((r) => ({
          role: r.role,
          covers: r.covers,
          extraPermissions: r.extraPermissions,
        })),
        customRole: proposal.customRole,
      })}`;
      return { ...base, document, gcp: proposal, removes, notes };
    }
  }
}
