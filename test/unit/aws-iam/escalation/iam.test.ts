import { describe, expect, it } from 'vitest';
import { technique } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../../../../src/analyzers/aws-iam/escalation/types.js';
import type { AwsAccountData, ManagedPolicyData } from '../../../../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  group,
  groupArn,
  managed,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';
import { ACCT, escalations, summary } from './helpers.js';

const ACCOUNT = `aws:account:${ACCT}`;
const dev = userArn(ACCT, 'dev');
const ops = userArn(ACCT, 'ops');
const adminRole = roleArn(ACCT, 'admin');
const only = (id: string) => [technique(id) as EscalationTechnique];
const env = (parts: Partial<AwsAccountData>) => environment(account(ACCT, parts));
const boundary = (arn: string, ...actions: string[]) => managed(arn, doc(allow(actions)));
const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const trustsDev = trusts({ AWS: [dev] });

describe('self-escalation by changing its own permissions', () => {
  it.each([
    ['iam-007', 'iam:PutUserPolicy'],
    ['iam-008', 'iam:AttachUserPolicy'],
  ])('%s: a user that may change its own policies can make itself administrator', (id, action) => {
    const edges = escalations(
      env({ users: [user(ACCT, 'dev', { policy: doc(allow(action, dev)) })] }),
      only(id),
    );
    expect(summary(edges)).toEqual([`user/dev -> ${ACCOUNT} [${id}]`]);
    expect(edges[0]?.properties.self).toBe(true);
    expect(edges[0]?.evidence[1]).toMatchObject({ ref: `${dev}#inline/inline`, statement: '#0' });
  });

  it.each([
    ['iam-005', 'iam:PutRolePolicy'],
    ['iam-009', 'iam:AttachRolePolicy'],
  ])('%s: a role that may change its own policies can make itself administrator', (id, action) => {
    const r = role(ACCT, 'ci', trustsDev, { policy: doc(allow(action, roleArn(ACCT, 'ci'))) });
    expect(summary(escalations(env({ roles: [r] }), only(id)))).toEqual([`role/ci -> ${ACCOUNT} [${id}]`]);
  });

  it('a permissions boundary that does not allow everything blocks it', () => {
    const u = user(ACCT, 'dev', {
      policy: doc(allow('iam:PutUserPolicy', dev)),
      permissionsBoundaryArn: `arn:aws:iam::${ACCT}:policy/fence`,
    });
    const fence = boundary(`arn:aws:iam::${ACCT}:policy/fence`, 'iam:PutUserPolicy', 's3:*');
    expect(escalations(env({ users: [u], managedPolicies: [fence] }), only('iam-007'))).toEqual([]);
  });

  it('an SCP that denies IAM writes blocks it', () => {
    const scp = {
      policy: {
        id: 'arn:aws:organizations::999999999999:policy/o-a/service_control_policy/p-1',
        name: 'no-iam',
        kind: 'scp' as const,
        document: doc(allow('*'), deny('iam:*')),
      },
      targets: [ACCT],
    };
    const e = env({ users: [user(ACCT, 'dev', { policy: doc(allow('iam:PutUserPolicy', dev)) })] });
    e.organization = {
      id: 'o-a',
      arn: 'arn:aws:organizations::999999999999:organization/o-a',
      managementAccountId: '999999999999',
      rootId: 'r-root',
      accounts: [{ id: ACCT, parentId: 'r-root' }],
      organizationalUnits: [],
      serviceControlPolicies: [scp],
      resourceControlPolicies: [],
    };
    expect(escalations(e, only('iam-007'))).toEqual([]);
  });

  it('iam-008: a condition limiting iam:PolicyARN to a harmless policy blocks it', () => {
    const limited = allow('iam:AttachUserPolicy', dev, {
      Condition: { ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } },
    });
    expect(
      escalations(env({ users: [user(ACCT, 'dev', { policy: doc(limited) })] }), only('iam-008')),
    ).toEqual([]);
  });

  it('a permission on another user only is not self-escalation', () => {
    const u = user(ACCT, 'dev', { policy: doc(allow(['iam:PutUserPolicy', 'iam:AttachUserPolicy'], ops)) });
    expect(escalations(env({ users: [u, user(ACCT, 'ops')] }), only('iam-007'))).toEqual([]);
  });

  it.each([
    ['iam-010', 'iam:AttachGroupPolicy'],
    ['iam-011', 'iam:PutGroupPolicy'],
  ])('%s: changing a group it is in makes it administrator; a group it is not in does not', (id, action) => {
    const devs = groupArn(ACCT, 'devs');
    const member = user(ACCT, 'dev', { groupArns: [devs], policy: doc(allow(action, devs)) });
    const groups = [group(ACCT, 'devs'), group(ACCT, 'others')];
    expect(summary(escalations(env({ users: [member], groups }), only(id)))).toEqual([
      `user/dev -> ${ACCOUNT} [${id}]`,
    ]);
    const outsider = user(ACCT, 'dev', { policy: doc(allow(action, devs)) });
    expect(escalations(env({ users: [outsider], groups }), only(id))).toEqual([]);
  });

  it('iam-001: a new version of a policy attached to itself; not of a policy attached elsewhere', () => {
    const mine = managed(
      `arn:aws:iam::${ACCT}:policy/mine`,
      doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCT}:policy/*`)),
    );
    const theirs = managed(`arn:aws:iam::${ACCT}:policy/theirs`, doc(allow('s3:ListBucket')));
    const u = user(ACCT, 'dev', { attachedPolicyArns: [mine.arn] });
    const edges = escalations(env({ users: [u], managedPolicies: [mine, theirs] }), only('iam-001'));
    expect(summary(edges)).toEqual([`user/dev -> ${ACCOUNT} [iam-001]`]);
    const narrow = managed(mine.arn, doc(allow('iam:CreatePolicyVersion', theirs.arn)));
    expect(escalations(env({ users: [u], managedPolicies: [narrow, theirs] }), only('iam-001'))).toEqual([]);
  });

  it('iam-001: a policy with five versions also needs iam:DeletePolicyVersion', () => {
    const arn = `arn:aws:iam::${ACCT}:policy/mine`;
    const full: ManagedPolicyData = {
      ...managed(arn, doc(allow('iam:CreatePolicyVersion', arn))),
      otherVersions: ['v2', 'v3', 'v4', 'v5'].map((versionId) => ({
        versionId,
        document: doc(allow('s3:ListBucket')),
      })),
    };
    const u = user(ACCT, 'dev', { attachedPolicyArns: [arn] });
    expect(escalations(env({ users: [u], managedPolicies: [full] }), only('iam-001'))).toEqual([]);
    const withDelete = {
      ...full,
      policy: {
        ...full.policy,
        document: doc(allow(['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion'], arn)),
      },
    };
    expect(escalations(env({ users: [u], managedPolicies: [withDelete] }), only('iam-001'))).toHaveLength(1);
  });

  it('SetDefaultPolicyVersion escalates only when a stored version makes it administrator', () => {
    const arn = `arn:aws:iam::${ACCT}:policy/mine`;
    const base = managed(arn, doc(allow('iam:SetDefaultPolicyVersion', arn)));
    const u = user(ACCT, 'dev', { attachedPolicyArns: [arn] });
    const stronger = { ...base, otherVersions: [{ versionId: 'v1', document: doc(allow('*')) }] };
    const weaker = { ...base, otherVersions: [{ versionId: 'v1', document: doc(allow('s3:*')) }] };
    const t = only('iam-setdefaultpolicyversion');
    expect(summary(escalations(env({ users: [u], managedPolicies: [stronger] }), t))).toEqual([
      `user/dev -> ${ACCOUNT} [iam-setdefaultpolicyversion]`,
    ]);
    expect(escalations(env({ users: [u], managedPolicies: [weaker] }), t)).toEqual([]);
  });

  it('iam-013: joining an administrators group escalates; joining a weak group does not', () => {
    const admins = group(ACCT, 'admins', { policy: doc(allow('*')) });
    const readers = group(ACCT, 'readers', { policy: doc(allow('s3:Get*')) });
    const u = user(ACCT, 'dev', { policy: doc(allow('iam:AddUserToGroup', admins.arn)) });
    expect(summary(escalations(env({ users: [u], groups: [admins, readers] }), only('iam-013')))).toEqual([
      `user/dev -> ${ACCOUNT} [iam-013]`,
    ]);
    const toReaders = user(ACCT, 'dev', { policy: doc(allow('iam:AddUserToGroup', readers.arn)) });
    expect(escalations(env({ users: [toReaders], groups: [admins, readers] }), only('iam-013'))).toEqual([]);
  });

  it('iam-022/iam-024: removing or replacing its own boundary escalates only if its policies are admin', () => {
    const fenceArn = `arn:aws:iam::${ACCT}:policy/fence`;
    const fence = boundary(
      fenceArn,
      's3:*',
      'iam:DeleteUserPermissionsBoundary',
      'iam:PutUserPermissionsBoundary',
    );
    const strong = user(ACCT, 'dev', { policy: doc(allow('*')), permissionsBoundaryArn: fenceArn });
    for (const id of ['iam-022', 'iam-024']) {
      expect(summary(escalations(env({ users: [strong], managedPolicies: [fence] }), only(id)))).toEqual([
        `user/dev -> ${ACCOUNT} [${id}]`,
      ]);
    }
    const weak = user(ACCT, 'dev', {
      policy: doc(allow(['s3:*', 'iam:DeleteUserPermissionsBoundary'])),
      permissionsBoundaryArn: fenceArn,
    });
    expect(escalations(env({ users: [weak], managedPolicies: [fence] }), only('iam-022'))).toEqual([]);
  });

  it('iam-025/iam-026: removing the policies that deny it escalates only when it may remove them all', () => {
    const guard = managed(`arn:aws:iam::${ACCT}:policy/guard`, doc(deny('iam:PutUserPolicy')));
    const detacher = user(ACCT, 'dev', { policy: doc(allow('*')), attachedPolicyArns: [guard.arn] });
    expect(
      summary(escalations(env({ users: [detacher], managedPolicies: [guard] }), only('iam-025'))),
    ).toEqual([`user/dev -> ${ACCOUNT} [iam-025]`]);
    // A guard that also denies detaching itself holds.
    const selfProtecting = managed(guard.arn, doc(deny(['iam:PutUserPolicy', 'iam:DetachUserPolicy'])));
    expect(
      escalations(env({ users: [detacher], managedPolicies: [selfProtecting] }), only('iam-025')),
    ).toEqual([]);
    // The Allow comes from a managed policy; the inline policy only denies.
    const everything = managed(`arn:aws:iam::${ACCT}:policy/everything`, doc(allow('*')));
    const inlineDeny = user(ACCT, 'dev', {
      policy: doc(deny('iam:PutUserPolicy')),
      attachedPolicyArns: [everything.arn],
    });
    expect(
      summary(escalations(env({ users: [inlineDeny], managedPolicies: [everything] }), only('iam-026'))),
    ).toEqual([`user/dev -> ${ACCOUNT} [iam-026]`]);
    // Deleting an inline policy that also holds the Allow gains nothing.
    const sameDocument = user(ACCT, 'dev', { policy: doc(allow('*'), deny('iam:PutUserPolicy')) });
    expect(escalations(env({ users: [sameDocument] }), only('iam-026'))).toEqual([]);
    // The deny itself forbids deleting inline policies: no way out.
    const locked = user(ACCT, 'dev', {
      policy: doc(deny(['iam:PutUserPolicy', 'iam:DeleteUserPolicy'])),
      attachedPolicyArns: [everything.arn],
    });
    expect(escalations(env({ users: [locked], managedPolicies: [everything] }), only('iam-026'))).toEqual([]);
  });
});

describe('escalation to another principal', () => {
  const opsWithKeys = (n: number) =>
    user(ACCT, 'ops', {
      accessKeys: Array.from({ length: n }, (_, i) => ({
        accessKeyId: `AKIAOPS${i}`,
        status: 'Active' as const,
      })),
    });

  it('iam-002: an access key for another user with a free key slot', () => {
    const u = user(ACCT, 'dev', { policy: doc(allow('iam:CreateAccessKey', ops)) });
    const edges = escalations(env({ users: [u, opsWithKeys(1)] }), only('iam-002'));
    expect(summary(edges)).toEqual(['user/dev -> user/ops [iam-002]']);
    expect(edges[0]?.toKind).toBe('AwsUser');
    expect(escalations(env({ users: [u, opsWithKeys(2)] }), only('iam-002'))).toEqual([]);
  });

  it('iam-003: a user with two keys needs DeleteAccessKey too', () => {
    const both = user(ACCT, 'dev', {
      policy: doc(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], ops)),
    });
    expect(summary(escalations(env({ users: [both, opsWithKeys(2)] }), only('iam-003')))).toEqual([
      'user/dev -> user/ops [iam-003]',
    ]);
    const createOnly = user(ACCT, 'dev', { policy: doc(allow('iam:CreateAccessKey', ops)) });
    expect(escalations(env({ users: [createOnly, opsWithKeys(2)] }), only('iam-003'))).toEqual([]);
  });

  it('iam-004/iam-006: a console password is created only where none exists, changed only where one does', () => {
    const u = user(ACCT, 'dev', {
      policy: doc(allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], ops)),
    });
    const without = user(ACCT, 'ops', { hasConsolePassword: false });
    const withPassword = user(ACCT, 'ops', { hasConsolePassword: true });
    expect(summary(escalations(env({ users: [u, without] }), only('iam-004')))).toEqual([
      'user/dev -> user/ops [iam-004]',
    ]);
    expect(escalations(env({ users: [u, withPassword] }), only('iam-004'))).toEqual([]);
    expect(summary(escalations(env({ users: [u, withPassword] }), only('iam-006')))).toEqual([
      'user/dev -> user/ops [iam-006]',
    ]);
    expect(escalations(env({ users: [u, without] }), only('iam-006'))).toEqual([]);
    const unknown = escalations(env({ users: [u, user(ACCT, 'ops')] }), only('iam-004'));
    expect(unknown[0]?.properties.requires).toEqual(['user ops has no console password (not collected)']);
  });

  it('iam-012: rewriting a role’s trust policy reaches the role; not a service-linked one', () => {
    const u = user(ACCT, 'dev', { policy: doc(allow('iam:UpdateAssumeRolePolicy')) });
    const target = role(ACCT, 'admin', trusts({ Service: ['ec2.amazonaws.com'] }), {
      policy: doc(allow('*')),
    });
    const linked = {
      ...role(ACCT, 'AWSServiceRoleForX', trusts({ Service: ['x.amazonaws.com'] })),
      serviceLinked: true,
    };
    expect(summary(escalations(env({ users: [u], roles: [target, linked] }), only('iam-012')))).toEqual([
      'user/dev -> role/admin [iam-012]',
    ]);
  });

  it('an explicit Deny on the target blocks it', () => {
    const u = user(ACCT, 'dev', {
      policy: doc(allow('iam:CreateAccessKey'), deny('iam:CreateAccessKey', ops)),
    });
    expect(escalations(env({ users: [u, opsWithKeys(0)] }), only('iam-002'))).toEqual([]);
  });
});

describe('administrator through a principal it changes and then acts as', () => {
  const weakRole = (extra: Partial<Parameters<typeof role>[3]> = {}) =>
    role(ACCT, 'admin', trustsDev, { policy: doc(allow('s3:ListBucket')), ...extra });

  it.each([
    ['iam-014', ['iam:AttachRolePolicy', 'sts:AssumeRole']],
    ['iam-017', ['iam:PutRolePolicy', 'sts:AssumeRole']],
    ['iam-019', ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy']],
    ['iam-021', ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']],
  ])('%s: changes a role, then assumes it', (id, actions) => {
    const u = user(ACCT, 'dev', { policy: doc(allow(actions, adminRole)) });
    const edges = escalations(env({ users: [u], roles: [weakRole()] }), only(id));
    expect(summary(edges)).toEqual([`user/dev -> ${ACCOUNT} [${id}]`]);
    expect(edges[0]?.properties.self).toBe(false);
    const first = actions[0] as string;
    const cannotAct = user(ACCT, 'dev', { policy: doc(allow(first, adminRole)) });
    const untrusting = role(ACCT, 'admin', trusts({ Service: ['ec2.amazonaws.com'] }), {
      policy: doc(allow('s3:ListBucket')),
    });
    expect(escalations(env({ users: [cannotAct], roles: [untrusting] }), only(id))).toEqual([]);
  });

  it.each([
    ['iam-016', 'sts:AssumeRole'],
    ['iam-020', 'iam:UpdateAssumeRolePolicy'],
  ])('%s: a new version of a policy attached to a role it can then assume', (id, act) => {
    const arn = `arn:aws:iam::${ACCT}:policy/role-policy`;
    const u = user(ACCT, 'dev', {
      policy: doc(allow('iam:CreatePolicyVersion', arn), allow(act, adminRole)),
    });
    const r = weakRole({ attachedPolicyArns: [arn] });
    const p = managed(arn, doc(allow('s3:ListBucket')));
    expect(summary(escalations(env({ users: [u], roles: [r], managedPolicies: [p] }), only(id)))).toEqual([
      `user/dev -> ${ACCOUNT} [${id}]`,
    ]);
  });

  it.each([
    ['iam-015', 'iam:AttachUserPolicy'],
    ['iam-018', 'iam:PutUserPolicy'],
  ])('%s: changes another user, then creates its access key', (id, action) => {
    const u = user(ACCT, 'dev', { policy: doc(allow([action, 'iam:CreateAccessKey'], ops)) });
    expect(summary(escalations(env({ users: [u, user(ACCT, 'ops')] }), only(id)))).toEqual([
      `user/dev -> ${ACCOUNT} [${id}]`,
    ]);
    const noKey = user(ACCT, 'dev', { policy: doc(allow(action, ops)) });
    expect(escalations(env({ users: [noKey, user(ACCT, 'ops')] }), only(id))).toEqual([]);
  });

  it('iam-023: removing a role’s boundary helps only when the role’s policies are admin', () => {
    const fenceArn = `arn:aws:iam::${ACCT}:policy/fence`;
    const fence = boundary(fenceArn, 's3:*');
    const u = user(ACCT, 'dev', {
      policy: doc(allow(['iam:DeleteRolePermissionsBoundary', 'sts:AssumeRole'], adminRole)),
    });
    const fenced = role(ACCT, 'admin', trustsDev, {
      policy: doc(allow('*')),
      permissionsBoundaryArn: fenceArn,
    });
    expect(
      summary(escalations(env({ users: [u], roles: [fenced], managedPolicies: [fence] }), only('iam-023'))),
    ).toEqual([`user/dev -> ${ACCOUNT} [iam-023]`]);
    const weak = role(ACCT, 'admin', trustsDev, {
      policy: doc(allow('s3:*')),
      permissionsBoundaryArn: fenceArn,
    });
    expect(
      escalations(env({ users: [u], roles: [weak], managedPolicies: [fence] }), only('iam-023')),
    ).toEqual([]);
  });
});

describe('the edge family as a whole', () => {
  it('an administrator gets no escalation edges', () => {
    const u = user(ACCT, 'root-like', { policy: doc(allow('*')) });
    expect(escalations(env({ users: [u, user(ACCT, 'ops')] }))).toEqual([]);
  });

  it('two techniques to one target make one edge naming the unconditional one, with all the evidence', () => {
    const mfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } };
    const u = user(ACCT, 'dev', {
      policy: doc(allow('iam:PutUserPolicy', dev, mfa), allow('iam:AttachUserPolicy', dev)),
    });
    const edges = escalations(env({ users: [u], managedPolicies: [managed(ADMIN_ACCESS, doc(allow('*')))] }));
    expect(edges).toHaveLength(1);
    expect(edges[0]?.properties).toMatchObject({ technique: 'iam-008', conditional: false });
    const reasons = edges[0]?.evidence.map((e) => e.reason.slice(0, 8));
    expect(reasons).toContain('iam-007 ');
    expect(reasons).toContain('iam-008 ');
  });
});
