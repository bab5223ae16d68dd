// Small builders for AwsEnvironment objects, so analyzer tests read like the playground they set up.

import type { PolicySet } from '../../src/analyzers/aws-iam/engine/types.js';
import {
  type AwsAccountData,
  type AwsEnvironment,
  type AwsGroupData,
  type AwsResourceData,
  type AwsRoleData,
  type AwsUserData,
  emptyAwsAccount,
  type ManagedPolicyData,
} from '../../src/model/aws/environment.js';
import type { NamedPolicy, PolicyDocument, Statement } from '../../src/model/aws/policy.js';

/** A statement as people write it: single strings allowed, index filled in. */
export type StatementInput = Omit<
  Statement,
  'index' | 'Action' | 'NotAction' | 'Resource' | 'NotResource'
> & {
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
};

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function doc(...statements: StatementInput[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s, index) => {
      const out: Statement = { ...s, index } as Statement;
      for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
        const value = list(s[key]);
        if (value === undefined) delete out[key];
        else out[key] = value;
      }
      return out;
    }),
  };
}

export const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementInput> = {},
) => ({ Effect: 'Allow', Action, Resource, ...extra }) as StatementInput;
export const deny = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Partial<StatementInput> = {},
) => ({ Effect: 'Deny', Action, Resource, ...extra }) as StatementInput;

export function inline(ownerArn: string, name: string, document: PolicyDocument): NamedPolicy {
  return { id: `${ownerArn}#inline/${name}`, name, kind: 'inline', document };
}

export function managed(arn: string, document: PolicyDocument): ManagedPolicyData {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const kind = arn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'customer-managed';
  return {
    arn,
    path: '/',
    policy: { id: arn, name, kind, document },
    defaultVersionId: 'v1',
    otherVersions: [],
  };
}

export function trustPolicy(roleArn: string, document: PolicyDocument): NamedPolicy {
  return { id: `${roleArn}#trust`, name: 'trust policy', kind: 'trust', document };
}

export const userArn = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;
export const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const groupArn = (account: string, name: string) => `arn:aws:iam::${account}:group/${name}`;

/** What users and roles share; the unique id is derived from the name (`AIDA…` / `AROA…`). */
function principalBase(
  idPrefix: 'AIDA' | 'AROA',
  arn: string,
  account: string,
  name: string,
  policy?: PolicyDocument,
) {
  const suffix = name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17);
  return {
    arn,
    uniqueId: `${idPrefix}${suffix}`,
    name,
    path: '/',
    accountId: account,
    tags: {},
    inlinePolicies: policy ? [inline(arn, 'inline', policy)] : [],
    attachedPolicyArns: [],
  };
}

export function user(
  account: string,
  name: string,
  options: Partial<Omit<AwsUserData, 'inlinePolicies'>> & { policy?: PolicyDocument } = {},
): AwsUserData {
  const { policy, ...rest } = options;
  return {
    ...principalBase('AIDA', userArn(account, name), account, name, policy),
    groupArns: [],
    accessKeys: [],
    ...rest,
  };
}

export function role(
  account: string,
  name: string,
  trust: PolicyDocument,
  options: Partial<Omit<AwsRoleData, 'inlinePolicies' | 'trustPolicy'>> & { policy?: PolicyDocument } = {},
): AwsRoleData {
  const arn = roleArn(account, name);
  const { policy, ...rest } = options;
  return {
    ...principalBase('AROA', arn, account, name, policy),
    trustPolicy: trustPolicy(arn, trust),
    serviceLinked: false,
    instanceProfileArns: [],
    ...rest,
  };
}

export function group(
  account: string,
  name: string,
  options: Partial<AwsGroupData> & { policy?: PolicyDocument } = {},
) {
  const arn = groupArn(account, name);
  const { policy, ...rest } = options;
  return {
    arn,
    name,
    path: '/',
    accountId: account,
    inlinePolicies: policy ? [inline(arn, 'inline', policy)] : [],
    attachedPolicyArns: [],
    ...rest,
  } satisfies AwsGroupData;
}

/** A trust policy admitting the given principal element (e.g. `{ Service: ['lambda.amazonaws.com'] }`). */
export function trusts(
  principal: Statement['Principal'],
  extra: Partial<StatementInput> = {},
): PolicyDocument {
  return doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra });
}

export function resource(
  type: AwsResourceData['type'],
  arn: string,
  options: Partial<Omit<AwsResourceData, 'policy'>> & { policy?: PolicyDocument } = {},
): AwsResourceData {
  const { policy, ...rest } = options;
  const accountId = arn.split(':')[4] || rest.accountId || '';
  const name = arn.split(/[:/]/).pop() ?? arn;
  return {
    arn,
    type,
    name,
    accountId,
    tags: {},
    ...(policy
      ? { policy: { id: `${arn}#policy`, name: 'resource policy', kind: 'resource', document: policy } }
      : {}),
    ...rest,
  };
}

export function account(accountId: string, parts: Partial<AwsAccountData> = {}): AwsAccountData {
  return emptyAwsAccount(accountId, {
    collected: { 'iam-get-account-authorization-details': true },
    ...parts,
  });
}

export function environment(...accounts: AwsAccountData[]): AwsEnvironment {
  return { accounts, issues: [] };
}

/**
 * A what-if change as the escalation's states make one: `statements` added to the principal's
 * policies, as an inline policy `<principal>#what-if/<name>`.
 */
export function addingPolicy(
  principalId: string,
  name: string,
  ...statements: StatementInput[]
): (set: PolicySet) => PolicySet {
  return (set) => ({
    ...set,
    identityPolicies: [
      ...set.identityPolicies,
      { id: `${principalId}#what-if/${name}`, name, kind: 'inline', document: doc(...statements) },
    ],
  });
}
