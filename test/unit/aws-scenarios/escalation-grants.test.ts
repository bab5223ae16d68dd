// CAN_ESCALATE through a workload that may exist (an App Runner service running as a role, which
// reachgraph does not collect) as Grant hubs: the sources allowed apprunner:UpdateService share
// one hub for the roles trusting tasks.apprunner.amazonaws.com; the source's statement is stored
// once on its member leg, each role's trust statement once on its target leg.
// https://docs.aws.amazon.com/apprunner/latest/dg/security_iam_service-with-iam.html
import { describe, expect, it } from 'vitest';
import { expandGrants, isGrantNode } from '../../../src/model/grants.js';
import type { Inventory } from '../../../src/model/inventory.js';
import {
  account,
  allow,
  doc,
  environment,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws } from './harness.js';

const A = '111111111111';
const SERVICE = 'tasks.apprunner.amazonaws.com';
const update = doc(allow('apprunner:UpdateService'));

const env = environment(
  account(A, {
    roles: [
      role(A, 'svc-a', trusts({ Service: [SERVICE] })),
      role(A, 'svc-b', trusts({ Service: [SERVICE] })),
      // A role of the class that may update services itself: it is not its own target, it joins
      // the hubs of the ranges of the class without it.
      role(A, 'svc-c', trusts({ Service: [SERVICE] }), { policy: update }),
      role(A, 'other', trusts({ Service: ['lambda.amazonaws.com'] })),
    ],
    users: [user(A, 'dev1', { policy: update }), user(A, 'dev2', { policy: update })],
  }),
);

describe('CAN_ESCALATE products as Grant hubs', () => {
  it('sources reaching every role of the class share one hub; a role of the class joins the hubs of the others', async () => {
    const out = await analyzeAws(env, { grantHubs: true });
    const hubs = out.nodes.filter((n) => isGrantNode(n) && n.properties?.family === 'escalate');
    // The whole class, and the two ranges svc-c reaches (svc-a; svc-b).
    expect(hubs).toHaveLength(3);
    const hub = hubs.find((n) => n.properties?.targets === 3)?.id as string;
    const escalations = out.edges.filter((e) => e.type === 'CAN_ESCALATE');
    const members = escalations.filter((e) => e.to === hub).map((e) => e.from);
    expect(members.sort()).toEqual([userArn(A, 'dev1'), userArn(A, 'dev2')]);
    const targets = escalations.filter((e) => e.from === hub);
    expect(targets.map((e) => e.to).sort()).toEqual(['svc-a', 'svc-b', 'svc-c'].map((n) => roleArn(A, n)));
    // The source's side: the technique's reason for the whole class, its own statement, once.
    const member = escalations.find((e) => e.to === hub && e.from === userArn(A, 'dev1'));
    expect(member?.evidence[0]?.reason).toMatch(/running as any role of account 111111111111 trusting/);
    expect(member?.evidence.every((e) => e.source !== 'trust-policy')).toBe(true);
    expect(member?.properties).toEqual({});
    // The role's side: its trust statement, what must exist, the prerequisite condition.
    for (const t of targets) {
      expect(t.evidence.some((e) => e.source === 'trust-policy')).toBe(true);
      expect(t.evidence.every((e) => e.source !== 'identity-policy')).toBe(true);
      expect(t.properties.conditions).toEqual(['reachgraph:PrerequisiteExists']);
      expect(t.properties.requires).toEqual([expect.stringMatching(/running as svc-[abc]$/)]);
    }
    // svc-c reaches the other roles of the class, not itself: a member of the ranges without it.
    expect(escalations.filter((e) => e.from === roleArn(A, 'svc-c')).map((e) => e.to)).toHaveLength(2);
    const pairs = expandGrants({ nodes: out.nodes, relationships: out.edges } as Inventory).relationships;
    const own = pairs
      .filter((e) => e.type === 'CAN_ESCALATE' && e.from === roleArn(A, 'svc-c'))
      .map((e) => e.to);
    expect(own.sort()).toEqual([roleArn(A, 'svc-a'), roleArn(A, 'svc-b')]);
    expect(escalations.some((e) => e.to === roleArn(A, 'other'))).toBe(false);
  });
});
