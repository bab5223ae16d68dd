// Escalations lead to the permissions they gain: the state after a change to a principal's own
// permissions is followed, not only checked for full control.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_add-remove-users.html (a user's
// permissions include its groups'), https://pathfinding.cloud/paths/iam-013 and /iam-008.
import { describe, expect, it } from 'vitest';
import {
  account,
  allow,
  doc,
  environment,
  group,
  groupArn,
  managed,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { accountNode, analyzeAws, edge, lines } from './harness.js';

const A = '111111111111';
const dev = userArn(A, 'dev');
const readers = groupArn(A, 'readers');
const BUCKET = 'arn:aws:s3:::prod-data';
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

function playground(
  devStatements: Parameters<typeof doc>,
  groupStatements: Parameters<typeof doc>,
  extra = {},
) {
  return analyzeAws(
    environment(
      account(A, {
        users: [user(A, 'dev', { policy: doc(...devStatements) })],
        groups: [group(A, 'readers', { policy: doc(...groupStatements) })],
        managedPolicies: [managed(ADMIN_POLICY, doc(allow('*')))],
        resources: [resource('s3-bucket', BUCKET, { accountId: A })],
        ...extra,
      }),
    ),
  );
}

const fromDev = (out: Awaited<ReturnType<typeof analyzeAws>>, type: string) =>
  lines(out, type).filter((l) => l.startsWith(`${type} ${dev} ->`));

describe('administrator-equivalent states', () => {
  it('joining a group that may attach policies to its members leads to administrator (iam-013 then iam-008)', async () => {
    const out = await playground(
      [allow('iam:AddUserToGroup', readers)],
      [allow('iam:AttachUserPolicy', `arn:aws:iam::${A}:user/*`)],
    );
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([`CAN_ESCALATE ${dev} -> ${accountNode(A)} [iam-013]`]);
    const e = edge(out, 'CAN_ESCALATE', dev, accountNode(A));
    expect(e?.properties).toMatchObject({ self: true, chain: ['iam-008'] });
    expect(e?.evidence[0]?.reason).toBe(
      'iam-013 iam:AddUserToGroup: can add itself to group readers, then (iam-008) can attach AdministratorAccess to itself',
    );
    // Both steps' grants are cited: the user's own statement and the group's.
    const refs = e?.evidence.map((r) => r.ref) ?? [];
    expect(refs).toContain(`${dev}#inline/inline`);
    expect(refs).toContain(`${readers}#inline/inline`);
  });

  it('a group granting iam:* (not *:*) is administrator-equivalent: iam:PutUserPolicy on itself follows', async () => {
    const out = await playground([allow('iam:AddUserToGroup', readers)], [allow('iam:*')]);
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([`CAN_ESCALATE ${dev} -> ${accountNode(A)} [iam-013]`]);
  });

  it('a group whose grant cannot escalate further gives no account edge', async () => {
    const out = await playground(
      [allow('iam:AddUserToGroup', readers)],
      [allow('iam:AttachUserPolicy', `arn:aws:iam::${A}:user/someone-else`)],
    );
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('a boundary that denies IAM writes keeps the state from escalating further', async () => {
    const fence = `arn:aws:iam::${A}:policy/fence`;
    const out = analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'dev', {
              policy: doc(allow('iam:AddUserToGroup', readers)),
              permissionsBoundaryArn: fence,
              attachedPolicyArns: [],
            }),
          ],
          groups: [group(A, 'readers', { policy: doc(allow('iam:AttachUserPolicy', dev)) })],
          managedPolicies: [
            managed(ADMIN_POLICY, doc(allow('*'))),
            managed(fence, doc(allow('iam:AddUserToGroup'))),
          ],
        }),
      ),
    );
    expect(fromDev(await out, 'CAN_ESCALATE')).toEqual([]);
  });
});

describe('partial gains', () => {
  it('joining a group that reads production data gives exactly that access, with the technique in the evidence', async () => {
    const out = await playground(
      [allow('iam:AddUserToGroup', readers)],
      [allow('s3:GetObject', `${BUCKET}/*`)],
    );
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([]);
    expect(fromDev(out, 'CAN_ACCESS')).toEqual([`CAN_ACCESS ${dev} -> ${BUCKET}`]);
    const e = edge(out, 'CAN_ACCESS', dev, BUCKET);
    expect(e?.properties).toMatchObject({ levels: ['read'], actions: ['s3:GetObject'], via: ['iam-013'] });
    expect(e?.evidence[0]?.reason).toMatch(
      /^iam-013 iam:AddUserToGroup: can add itself to group readers, then read /,
    );
    expect(e?.evidence.map((r) => r.ref)).toContain(`${readers}#inline/inline`);
  });

  it('a level already held is no gain; a new level joins the edge the user has', async () => {
    const held = await playground(
      [allow('iam:AddUserToGroup', readers), allow('s3:GetObject', `${BUCKET}/*`)],
      [allow('s3:GetObject', `${BUCKET}/*`)],
    );
    expect(edge(held, 'CAN_ACCESS', dev, BUCKET)?.properties.via).toBeUndefined();
    const more = await playground(
      [allow('iam:AddUserToGroup', readers), allow('s3:GetObject', `${BUCKET}/*`)],
      [allow('s3:PutObject', `${BUCKET}/*`)],
    );
    const e = edge(more, 'CAN_ACCESS', dev, BUCKET);
    expect(e?.properties).toMatchObject({ levels: ['read', 'write'], via: ['iam-013'] });
  });

  it('a group the user cannot join gives nothing (near miss)', async () => {
    const out = await playground([allow('iam:AddUserToGroup', groupArn(A, 'other'))], [allow('s3:*')]);
    expect(fromDev(out, 'CAN_ACCESS')).toEqual([]);
  });

  it('a group that may assume a role gives an escalation edge to the role, through the group', async () => {
    const ops = roleArn(A, 'ops');
    const out = await playground([allow('iam:AddUserToGroup', readers)], [allow('sts:AssumeRole', ops)], {
      roles: [
        role(A, 'ops', trusts({ AWS: [`arn:aws:iam::${A}:root`] }), { policy: doc(allow('s3:ListBucket')) }),
      ],
    });
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([`CAN_ESCALATE ${dev} -> ${ops} [iam-013]`]);
    expect(edge(out, 'CAN_ESCALATE', dev, ops)?.evidence[0]?.reason).toBe(
      'iam-013 iam:AddUserToGroup: can add itself to group readers, then assume role ops',
    );
    expect(fromDev(out, 'CAN_ASSUME')).toEqual([]);
  });

  it('attaching AdministratorAccess under a boundary gains what the boundary allows, not the account', async () => {
    const fence = `arn:aws:iam::${A}:policy/fence`;
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'dev', {
              policy: doc(allow('iam:AttachUserPolicy', dev)),
              permissionsBoundaryArn: fence,
            }),
          ],
          managedPolicies: [
            managed(ADMIN_POLICY, doc(allow('*'))),
            managed(fence, doc(allow(['iam:AttachUserPolicy', 's3:GetObject']))),
          ],
          resources: [resource('s3-bucket', BUCKET, { accountId: A })],
        }),
      ),
    );
    expect(fromDev(out, 'CAN_ESCALATE')).toEqual([]);
    expect(edge(out, 'CAN_ACCESS', dev, BUCKET)?.properties).toMatchObject({
      levels: ['read'],
      via: ['iam-008'],
    });
  });
});
