// The derived edges of an AWS analysis counted by family: what in the policy text made each edge,
// so the benchmarks can tell the edges that are products of principals × targets (a statement on
// `*` or an ARN pattern, a trust policy admitting the account root, a PassRole to every role a
// service may assume, a workload that may exist for every such role) from the edges a policy
// names one by one. Each family also gets its evidence size (JSON bytes), which is what the loader
// writes.
import type { AwsEnvironment } from '../src/model/aws/environment.js';
import type { NamedPolicy, Statement } from '../src/model/aws/policy.js';
import type { Evidence } from '../src/model/evidence.js';
import type { InventoryRelationship } from '../src/model/inventory.js';

export interface FamilyCount {
  type: string;
  family: string;
  edges: number;
  evidenceBytes: number;
}

const WILDCARD = /[*?]/;

export function edgeFamilies(
  environment: AwsEnvironment,
  edges: readonly InventoryRelationship[],
): FamilyCount[] {
  const policies = new Map<string, NamedPolicy>();
  for (const account of environment.accounts) {
    for (const m of account.managedPolicies) policies.set(m.policy.id, m.policy);
    for (const p of [...account.users, ...account.roles, ...account.groups])
      for (const inline of p.inlinePolicies) policies.set(inline.id, inline);
    for (const r of account.roles) policies.set(r.trustPolicy.id, r.trustPolicy);
    for (const r of account.resources) if (r.policy) policies.set(r.policy.id, r.policy);
  }
  const statementOf = (e: Evidence): Statement | undefined => {
    const statements = policies.get(e.ref ?? '')?.document.Statement ?? [];
    const label = e.statement ?? '';
    return label.startsWith('#')
      ? statements.find((s) => s.index === Number(label.slice(1)))
      : statements.find((s) => s.Sid === label);
  };

  const counts = new Map<string, FamilyCount>();
  for (const edge of edges) {
    const family = familyOf(edge, statementOf);
    const key = `${edge.type}\u0000${family}`;
    const count = counts.get(key) ?? { type: edge.type, family, edges: 0, evidenceBytes: 0 };
    count.edges++;
    count.evidenceBytes += JSON.stringify(edge.evidence ?? []).length;
    counts.set(key, count);
  }
  return [...counts.values()].sort((a, b) => a.type.localeCompare(b.type) || b.edges - a.edges);
}

function familyOf(edge: InventoryRelationship, statementOf: (e: Evidence) => Statement | undefined): string {
  const evidence = edge.evidence ?? [];
  switch (edge.type) {
    case 'CAN_ASSUME': {
      if (edge.fromKind === 'ExternalPrincipal') return 'external account root trust';
      const trust = evidence.find((e) => e.source === 'trust-policy');
      const principals = trust ? aws(statementOf(trust)) : [];
      const identity = evidence.find((e) => e.source === 'identity-policy');
      const resource = identity ? (statementOf(identity)?.Resource ?? []) : [];
      const side = resource.some((r) => WILDCARD.test(r))
        ? 'sts:AssumeRole on a pattern'
        : 'sts:AssumeRole on the role';
      if (principals.some((p) => p.endsWith(':root'))) return `account root trust, ${side}`;
      if (principals.length > 0) return `trust names the principal, ${side}`;
      return 'other';
    }
    case 'CAN_ACCESS': {
      if (edge.fromKind === 'Grant') return 'Grant hub target leg';
      if (edge.toKind === 'Grant') return 'Grant hub member leg';
      const identity = evidence.find((e) => e.source === 'identity-policy');
      if (!identity) return 'resource policy alone';
      const statement = statementOf(identity);
      if (!statement) return 'identity policy (statement not found)';
      if (statement.NotAction) return 'identity NotAction on *';
      const resource = statement.Resource ?? [];
      if (resource.includes('*')) return 'identity Resource *';
      if (resource.some((r) => WILDCARD.test(r.replace(/\/\*$/, '')))) return 'identity ARN pattern';
      return 'identity exact ARN';
    }
    case 'CAN_ESCALATE': {
      const reasons = evidence.map((e) => e.reason ?? '').join('\n');
      // A hub of a service class holds workloads that may exist, and PassRole + create when a
      // source's PassRole decision is the same for the whole class (it says so on either leg).
      const hub = /iam:PassRole|can pass role/.test(reasons)
        ? 'PassRole + create (and workloads that may exist)'
        : 'workload that may exist';
      if (edge.fromKind === 'Grant') return `${hub}: Grant hub target leg`;
      if (edge.toKind === 'Grant') return `${hub}: Grant hub member leg`;
      if (/iam:PassRole/.test(reasons)) return 'PassRole + create a workload';
      if (edge.properties?.conditions && String(edge.properties.conditions).includes('PrerequisiteExists'))
        return 'workload that may exist (prerequisite)';
      if (edge.toKind === 'AwsAccount') return 'account-wide IAM write';
      if (/sts:AssumeRole/.test(reasons)) return 'IAM write + assume';
      return 'IAM write on the principal';
    }
    default:
      return '';
  }
}

function aws(statement: Statement | undefined): string[] {
  const principal = statement?.Principal;
  if (!principal || principal === '*') return [];
  return principal.AWS ?? [];
}
