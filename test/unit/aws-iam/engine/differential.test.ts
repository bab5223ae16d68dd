// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
// Differential test: the engine against @cloud-copilot/iam-simulate (a dev-only oracle, never
// imported from src/) over random single-account identity policies and requests, restricted to
// the decidable core: every condition key is given a value or known absent, so the engine must
// never answer `conditional`, and allow / explicit deny / implicit deny must agree.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type Outcome } from '../../../../src/analyzers/aws-iam/engine/index.js';
import type { NamedPolicy, Statement } from '../../../../src/model/aws/policy.js';
import { parsePolicyDocument } from '../../../../src/model/aws/policy-parser.js';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/alice`;

const actions = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
const resources = ['arn:aws:s3:::bucket-a/x/1.txt', 'arn:aws:s3:::bucket-b/y', 'arn:aws:s3:::bucket-a/z'];
const actionPatterns = [
  '*',
  's3:*',
  's3:Get*',
  's3:GetObject',
  's3:PutObject',
  's3:?etObject',
  's3:*Object',
  'ec2:*',
];
const resourcePatterns = [
  '*',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-?/*',
  'arn:aws:s3:::bucket-b/y',
  'arn:aws:s3:::*/x/*',
  'arn:aws:s3:::bucket-a/${aws:PrincipalTag/team}',
];

const contextKeys = {
  'aws:PrincipalTag/team': fc.constantFrom('red', 'blue', 'z'),
  'aws:SecureTransport': fc.constantFrom('true', 'false'),
  'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.168.0.1'),
  'aws:RequestedRegion': fc.constantFrom('us-east-1', 'eu-west-1'),
} as const;
type Key = keyof typeof contextKeys;

const conditionArb: fc.Arbitrary<Record<string, Record<string, string[]>>> = fc
  .array(
    fc.oneof(
      fc.record({
        op: fc.constantFrom(
          'StringEquals',
          'StringNotEquals',
          'StringLike',
          'StringNotLike',
          'StringEqualsIgnoreCase',
          'StringEqualsIfExists',
          'StringNotEqualsIfExists',
        ),
        key: fc.constantFrom<Key>('aws:PrincipalTag/team', 'aws:RequestedRegion'),
        values: fc.array(fc.constantFrom('red', 'RED', 'r*', 'blue', 'us-*', 'eu-west-1', 'z'), {
          minLength: 1,
          maxLength: 2,
        }),
      }),
      fc.record({
        op: fc.constantFrom('Bool', 'BoolIfExists'),
        key: fc.constant<Key>('aws:SecureTransport'),
        values: fc.constantFrom<string[]>(['true'], ['false']),
      }),
      fc.record({
        op: fc.constantFrom('IpAddress', 'NotIpAddress', 'IpAddressIfExists'),
        key: fc.constant<Key>('aws:SourceIp'),
        values: fc.constantFrom<string[]>(['10.0.0.0/8'], ['192.168.0.0/16', '172.16.0.0/12']),
      }),
      fc.record({
        op: fc.constant('Null'),
        key: fc.constantFrom<Key>('aws:PrincipalTag/team', 'aws:SourceIp'),
        values: fc.constantFrom<string[]>(['true'], ['false']),
      }),
    ),
    { maxLength: 2 },
  )
  .map((conditions) => {
    const block: Record<string, Record<string, string[]>> = {};
    for (const c of conditions) {
      block[c.op] ??= {};
      (block[c.op] as Record<string, string[]>)[c.key] = c.values;
    }
    return block;
  });

const statementArb = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    notAction: fc.boolean(),
    actions: fc.array(fc.constantFrom(...actionPatterns), { minLength: 1, maxLength: 2 }),
    notResource: fc.boolean(),
    resources: fc.array(fc.constantFrom(...resourcePatterns), { minLength: 1, maxLength: 2 }),
    condition: conditionArb,
  })
  .map(({ effect, notAction, actions: a, notResource, resources: r, condition }) => {
    const s: Record<string, unknown> = { Effect: effect };
    s[notAction ? 'NotAction' : 'Action'] = a;
    s[notResource ? 'NotResource' : 'Resource'] = r;
    if (Object.keys(condition).length > 0) s.Condition = condition;
    return s;
  });

const scenarioArb = fc.record({
  policies: fc.array(fc.array(statementArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  action: fc.constantFrom(...actions),
  resource: fc.constantFrom(...resources),
  context: fc.record(
    Object.fromEntries(
      Object.entries(contextKeys).map(([k, arb]) => [k, fc.option(arb, { nil: undefined })]),
    ) as {
      [K in Key]: fc.Arbitrary<string | undefined>;
    },
  ),
});

const ORACLE: Record<string, Outcome> = {
  Allowed: 'allow',
  ExplicitlyDenied: 'explicit-deny',
  ImplicitlyDenied: 'implicit-deny',
};

describe('differential test against iam-simulate (single account, identity policies)', () => {
  it('agrees on allow / explicit deny / implicit deny', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ policies, action, resource, context }) => {
        const documents = policies.map((statements) => ({ Version: '2012-10-17', Statement: statements }));
        const given = Object.fromEntries(
          Object.entries(context).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;

        const oracle = await runSimulation(
          {
            request: {
              principal: PRINCIPAL,
              action,
              resource: { resource, accountId: ACCOUNT },
              contextVariables: given,
            },
            identityPolicies: documents.map((policy, i) => ({ name: `p${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
          },
          {},
        );
        if (oracle.resultType === 'error') throw new Error(JSON.stringify(oracle.errors));

        const named: NamedPolicy[] = documents.map((d, i) => ({
          id: `p${i}`,
          name: `p${i}`,
          kind: 'inline',
          document: {
            Version: d.Version,
            Statement: d.Statement.map((s, index) => ({ ...(s as Omit<Statement, 'index'>), index })),
          },
        }));
        const ours = evaluate(
          {
            principal: { arn: PRINCIPAL, kind: 'user', accountId: ACCOUNT, username: 'alice', tags: {} },
            action,
            resource: { arn: resource, accountId: ACCOUNT },
            context: Object.fromEntries(
              Object.entries(context).map(([k, v]) => [k, v === undefined ? null : [v]]),
            ),
          },
          { identityPolicies: named },
        );
        expect(
          ours.outcome,
          JSON.stringify({ documents, action, resource, context, reason: ours.reason }),
        ).toBe(ORACLE[oracle.overallResult]);
      }),
      { numRuns: Number(process.env.DIFF_RUNS ?? 400), seed: Number(process.env.DIFF_SEED ?? 20240601) },
    );
  }, 120_000);
});

const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s1`;
const OTHER = '444455556666';

const resourceStatementArb = fc
  .record({
    statement: statementArb,
    principal: fc.constantFrom<unknown>(
      '*',
      { AWS: PRINCIPAL },
      { AWS: ROLE },
      { AWS: SESSION },
      { AWS: ACCOUNT },
      { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      { AWS: `arn:aws:iam::${OTHER}:root` },
      { AWS: [`arn:aws:iam::${OTHER}:user/bob`, ROLE] },
    ),
  })
  .map(({ statement, principal }) => ({ ...statement, Principal: principal }));

const layeredArb = fc.record({
  caller: fc.constantFrom('user', 'session', 'external-user'),
  identity: fc.array(fc.array(statementArb, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
  resourcePolicy: fc.option(fc.array(resourceStatementArb, { minLength: 1, maxLength: 2 }), {
    nil: undefined,
  }),
  boundary: fc.option(fc.array(statementArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  action: fc.constantFrom(...actions),
  resource: fc.constantFrom(...resources),
  team: fc.option(contextKeys['aws:PrincipalTag/team'], { nil: undefined }),
});

const FIXED_CONTEXT = {
  'aws:SecureTransport': 'true',
  'aws:SourceIp': '10.1.2.3',
  'aws:RequestedRegion': 'us-east-1',
};

const toNamed = (
  statements: Record<string, unknown>[],
  id: string,
  kind: NamedPolicy['kind'],
): NamedPolicy => ({
  id,
  name: id,
  kind,
  document: parsePolicyDocument({ Version: '2012-10-17', Statement: statements }, id),
});

describe('differential test against iam-simulate (identity, resource policy, boundary)', () => {
  it('agrees for users and role sessions, same account and cross-account', async () => {
    await fc.assert(
      fc.asyncProperty(layeredArb, async (s) => {
        const callerArn =
          s.caller === 'user'
            ? PRINCIPAL
            : s.caller === 'session'
              ? SESSION
              : `arn:aws:iam::${OTHER}:user/bob`;
        const callerAccount = s.caller === 'external-user' ? OTHER : ACCOUNT;
        const context: Record<string, string> = { ...FIXED_CONTEXT };
        if (s.team !== undefined) context['aws:PrincipalTag/team'] = s.team;
        const doc = (statements: Record<string, unknown>[]) => ({
          Version: '2012-10-17',
          Statement: statements,
        });

        const oracle = await runSimulation(
          {
            request: {
              principal: callerArn,
              action: s.action,
              resource: { resource: s.resource, accountId: ACCOUNT },
              contextVariables: context,
            },
            identityPolicies: s.identity.map((st, i) => ({ name: `p${i}`, policy: doc(st) })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(s.resourcePolicy ? { resourcePolicy: doc(s.resourcePolicy) } : {}),
            ...(s.boundary ? { permissionBoundaryPolicies: [{ name: 'pb', policy: doc(s.boundary) }] } : {}),
          },
          {},
        );
        if (oracle.resultType === 'error') throw new Error(JSON.stringify(oracle.errors));

        const ours = evaluate(
          {
            principal:
              s.caller === 'session'
                ? { arn: ROLE, kind: 'role', accountId: ACCOUNT, sessionArn: SESSION, tags: {} }
                : { arn: callerArn, kind: 'user', accountId: callerAccount, tags: {} },
            action: s.action,
            resource: { arn: s.resource, accountId: ACCOUNT },
            context: {
              ...Object.fromEntries(Object.entries(context).map(([k, v]) => [k, [v]])),
              ...(s.team === undefined ? { 'aws:PrincipalTag/team': null } : {}),
            },
          },
          {
            identityPolicies: s.identity.map((st, i) => toNamed(st, `p${i}`, 'inline')),
            ...(s.resourcePolicy ? { resourcePolicy: toNamed(s.resourcePolicy, 'rp', 'resource') } : {}),
            ...(s.boundary ? { permissionsBoundary: toNamed(s.boundary, 'pb', 'permissions-boundary') } : {}),
          },
        );
        expect(ours.outcome, JSON.stringify({ s, reason: ours.reason })).toBe(ORACLE[oracle.overallResult]);
      }),
      { numRuns: Number(process.env.DIFF_RUNS ?? 400), seed: Number(process.env.DIFF_SEED ?? 20240601) },
    );
  }, 120_000);
});
