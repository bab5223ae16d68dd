// PassRole + create a workload as Grant hubs: a caller whose iam:PassRole decision is the same for
// every role trusting the service (escalation/pass-role-class.ts) states it once, on its member
// leg; a caller whose decision differs for some role keeps one edge per role, naming it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
import { describe, expect, it } from 'vitest';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import { isGrantNode } from '../../../src/model/grants.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  managed,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws } from './harness.js';

const A = '111111111111';
const LAMBDA = 'lambda.amazonaws.com';
const create = allow(['lambda:CreateFunction', 'lambda:InvokeFunction']);
const BOUNDARY = `arn:aws:iam::${A}:policy/boundary`;
const FUNCTIONS = ['fn-a', 'fn-b', 'fn-c'].map((n) => roleArn(A, n));

const callers = {
  // Positive: PassRole on every role, or under a condition that is the same for every role.
  everyRole: doc(allow('iam:PassRole'), create),
  conditional: doc(
    allow('iam:PassRole', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
    create,
  ),
  toLambda: doc(
    allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': [LAMBDA] } } }),
    create,
  ),
  // Negative: a pattern covering part of the class.
  pattern: doc(allow('iam:PassRole', `arn:aws:iam::${A}:role/fn-a*`), create),
  // Negative: a second statement for one role (its decision rests on other statements).
  secondStatement: doc(
    allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': [LAMBDA] } } }),
    allow('iam:PassRole', FUNCTIONS[1] as string),
    create,
  ),
  // Negative: PassRole only to another service.
  otherService: doc(
    allow('iam:PassRole', '*', {
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
    }),
    create,
  ),
  // Negative: a Deny on one role, and a Deny on one role under a condition.
  denyOne: doc(allow('iam:PassRole'), deny('iam:PassRole', FUNCTIONS[2] as string), create),
  conditionalDeny: doc(
    allow('iam:PassRole'),
    deny('iam:PassRole', FUNCTIONS[2] as string, {
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] } },
    }),
    create,
  ),
  // Negative: a boundary allowing PassRole on part of the class.
  bounded: doc(allow('iam:PassRole'), create),
};

const env = environment(
  account(A, {
    roles: ['fn-a', 'fn-b', 'fn-c'].map((n) => role(A, n, trusts({ Service: [LAMBDA] }))),
    users: Object.entries(callers).map(([name, policy]) =>
      user(A, name, {
        policy,
        ...(name === 'bounded' ? { permissionsBoundaryArn: BOUNDARY } : {}),
      }),
    ),
    managedPolicies: [
      managed(
        BOUNDARY,
        doc(allow('iam:PassRole', [FUNCTIONS[0] as string, FUNCTIONS[1] as string]), allow('lambda:*')),
      ),
    ],
  }),
);

describe('PassRole + create a workload as Grant hubs', () => {
  it('a caller deciding alike for every role of the class joins a hub; the others keep pair edges', async () => {
    const out = await analyzeAws(env, { grantHubs: true });
    const hubs = new Set(
      out.nodes.filter((n) => isGrantNode(n) && n.properties?.family === 'escalate').map((n) => n.id),
    );
    const escalations = out.edges.filter((e) => e.type === 'CAN_ESCALATE');
    const legsInto = (name: string) =>
      escalations.filter((e) => e.from === userArn(A, name) && hubs.has(e.to));
    const pairsOf = (name: string) =>
      escalations
        .filter((e) => e.from === userArn(A, name) && !hubs.has(e.to))
        .map((e) => e.to)
        .sort();

    for (const name of ['everyRole', 'conditional', 'toLambda']) {
      expect(legsInto(name), name).toHaveLength(1);
      expect(pairsOf(name), name).toEqual([]);
    }
    // One decision stated once: the class, the caller's statement, no role named.
    const member = legsInto('everyRole')[0] as DerivedEdge;
    expect(member.evidence.map((e) => e.reason)).toEqual([
      expect.stringMatching(/can pass any role of account 111111111111 trusting lambda.amazonaws.com/),
      expect.stringMatching(
        /iam:PassRole to lambda.amazonaws.com on every role of account .* allowed by inline statement #0$/,
      ),
      expect.stringMatching(/lambda:CreateFunction in account .* allowed by inline statement #1$/),
      expect.stringMatching(/lambda:InvokeFunction in account .* allowed by inline statement #1$/),
    ]);
    expect(member.evidence.some((e) => /fn-[abc]/.test(e.reason ?? ''))).toBe(false);
    // The conditional caller's hub is another one: its pairs are conditional, the outright ones not.
    const conditionalLeg = legsInto('conditional')[0] as DerivedEdge;
    expect(conditionalLeg.to).not.toBe(member.to);
    expect(conditionalLeg.properties.conditions).toEqual(['aws:SourceIp']);
    expect(member.properties).toEqual({});
    expect(legsInto('toLambda')[0]?.to).toBe(member.to);
    const targets = escalations.filter((e) => e.from === member.to);
    expect(targets.map((e) => e.to).sort()).toEqual(FUNCTIONS);
    for (const t of targets) {
      expect(t.properties.technique).toBe('lambda-001');
      expect(t.evidence.map((e) => e.source)).toEqual(['declared', 'trust-policy']);
    }

    expect(pairsOf('pattern')).toEqual([FUNCTIONS[0]]);
    expect(pairsOf('secondStatement')).toEqual(FUNCTIONS);
    expect(pairsOf('denyOne')).toEqual(FUNCTIONS.slice(0, 2));
    expect(pairsOf('conditionalDeny')).toEqual(FUNCTIONS);
    expect(pairsOf('bounded')).toEqual(FUNCTIONS.slice(0, 2));
    expect(pairsOf('otherService')).toEqual([]);
    for (const name of [
      'pattern',
      'secondStatement',
      'otherService',
      'denyOne',
      'conditionalDeny',
      'bounded',
    ])
      expect(legsInto(name), name).toEqual([]);
    // A pair edge names its role in the PassRole decision, as before.
    const pair = escalations.find(
      (e) => e.from === userArn(A, 'secondStatement') && e.to === FUNCTIONS[1],
    ) as DerivedEdge;
    expect(pair.evidence.map((e) => e.reason)).toContainEqual(
      expect.stringMatching(/iam:PassRole on fn-b to lambda.amazonaws.com, allowed by inline statement #1$/),
    );
    // Only the conditional Deny's role is conditional for that caller.
    const denied = escalations.filter((e) => e.from === userArn(A, 'conditionalDeny'));
    expect(denied.filter((e) => e.properties.conditional === true).map((e) => e.to)).toEqual([FUNCTIONS[2]]);
  });
});
