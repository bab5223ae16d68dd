// Shared helpers for the AWS scenario tests: run the whole analyzer and read its edges compactly.
import { type AwsAnalysis, analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import type { AwsEnvironment, AwsOrganizationData } from '../../../src/model/aws/environment.js';
import type { NamedPolicy, PolicyDocument } from '../../../src/model/aws/policy.js';

export type { AwsAnalysis };
export { analyzeAws };

/** `TYPE from -> to` plus `[technique]` for escalations and ` ?` when conditional. */
export function line(e: DerivedEdge): string {
  const technique = e.properties.technique ? ` [${e.properties.technique}]` : '';
  const conditional = e.properties.conditional ? ' ?' : '';
  return `${e.type} ${e.from} -> ${e.to}${technique}${conditional}`;
}

/** Every edge of the given types, as sorted lines. */
export function lines(analysis: AwsAnalysis, ...types: string[]): string[] {
  return analysis.edges
    .filter((e) => types.length === 0 || types.includes(e.type))
    .map(line)
    .sort();
}

export function edge(analysis: AwsAnalysis, type: string, from: string, to: string): DerivedEdge | undefined {
  return analysis.edges.find((e) => e.type === type && e.from === from && e.to === to);
}

/**
 * `source ref statement` of every statement the evidence cites, once each, sorted (a CAN_ACCESS
 * edge's record naming its resource cites none).
 */
export function cites(e: DerivedEdge | undefined): string[] {
  const records = (e?.evidence ?? []).filter((x) => x.ref !== e?.to);
  return [...new Set(records.map((x) => `${x.source} ${x.ref} ${x.statement ?? ''}`.trim()))].sort();
}

export const accountNode = (id: string) => `aws:account:${id}`;
export const rootArn = (id: string) => `arn:aws:iam::${id}:root`;

export function orgPolicy(id: string, kind: 'scp' | 'rcp', document: PolicyDocument): NamedPolicy {
  return { id, name: id, kind, document };
}

/** A one-OU organization: management account at the root, members in `ou-workloads`. */
export function organization(
  management: string,
  members: string[],
  policies: Partial<Pick<AwsOrganizationData, 'serviceControlPolicies' | 'resourceControlPolicies'>> = {},
): AwsOrganizationData {
  return {
    id: 'o-exampleorgid',
    arn: `arn:aws:organizations::${management}:organization/o-exampleorgid`,
    managementAccountId: management,
    rootId: 'r-root',
    accounts: [
      { id: management, parentId: 'r-root' },
      ...members.map((id) => ({ id, parentId: 'ou-workloads' })),
    ],
    organizationalUnits: [{ id: 'ou-workloads', parentId: 'r-root' }],
    serviceControlPolicies: policies.serviceControlPolicies ?? [],
    resourceControlPolicies: policies.resourceControlPolicies ?? [],
  };
}

export function withOrg(env: AwsEnvironment, org: AwsOrganizationData): AwsEnvironment {
  return { ...env, organization: org };
}
