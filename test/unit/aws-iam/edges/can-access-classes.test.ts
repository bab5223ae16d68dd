// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import {
  AccessDerivationCache,
  canAccess,
  type OnlyPart,
} from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import { DerivedFacts } from '../../../../src/analyzers/aws-iam/edges/grant-hubs.js';
import { ResourceClasses } from '../../../../src/analyzers/aws-iam/edges/resource-classes.js';
import type { PolicySet, RequestPrincipal } from '../../../../src/analyzers/aws-iam/engine/types.js';
import { AddedGrantsView, WhatIfView } from '../../../../src/analyzers/aws-iam/escalation/what-if-view.js';
import type { Authorizer } from '../../../../src/analyzers/aws-iam/types.js';
import type {
  AwsAccountData,
  AwsEnvironment,
  AwsOrganizationData,
  AwsResourceData,
} from '../../../../src/model/aws/environment.js';
import type { ConditionBlock } from '../../../../src/model/aws/policy.js';
import {
  account,
  addingPolicy,
  doc,
  environment,
  managed,
  resource,
  role,
  type StatementInput,
  trusts,
  user,
} from '../../../helpers/aws-environment.js';
import { seededRandom } from '../../../helpers/random.js';

// CAN_ACCESS decides one resource per class of a principal's candidates (edges/resource-classes.ts)
// and gives the others its grant. On random estates (seeded) whose resources come in a few shapes,
// with policies that tell them apart in every way the engine reads (their own ARN and prefixes,
// named principals, resource tags, policy variables, RCPs, the principal's account), the output
// must be exactly that of deciding every candidate on its own: the edges in their order with their
// evidence in order, hubs, findings, what later families read, and the authorizer's issues.

beforeAll(() => loadCatalog());

const ACCOUNTS = ['111111111111', '222222222222'];
const TEAMS = ['red', 'blue'];
const ENVS = ['prod', 'dev'];
const ORG_ID = 'o-abc1234567';

function randomEnvironment(seed: number): AwsEnvironment {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const roles = Array.from({ length: 10 }, (_, i) => `r${i}`);
  const roleArnOf = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;

  const resources: AwsResourceData[] = [];
  for (let i = 0; i < 40; i++) {
    const accountId = pick(ACCOUNTS);
    const team = pick(TEAMS);
    const env = pick(ENVS);
    const kind = pick(['s3-bucket', 's3-bucket', 's3-bucket', 'secret', 'dynamodb-table'] as const);
    const arn =
      kind === 's3-bucket'
        ? `arn:aws:s3:::${team}-${env}-${i}`
        : kind === 'secret'
          ? `arn:aws:secretsmanager:eu-west-1:${accountId}:secret:${team}-${env}-${i}-AbCdEf`
          : `arn:aws:dynamodb:eu-west-1:${accountId}:table/${team}-${env}-${i}`;
    const objects = kind === 's3-bucket' ? `${arn}/*` : arn;
    // Few shapes: most resources draw one of a handful of policies written relative to their ARN.
    const statements: StatementInput[] = [];
    if (chance(0.7))
      statements.push({
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: kind === 's3-bucket' ? 's3:*' : '*',
        Resource: [arn, objects],
        Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
      });
    const grant = pick([
      'none',
      'roles',
      'account',
      'partner',
      'anyone',
      'tag-deny',
      'prefix',
      'variable',
      'not-principal',
      'principal-arn',
    ]);
    if (grant === 'roles')
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: [roleArnOf(accountId, pick(roles)), roleArnOf(pick(ACCOUNTS), pick(roles))] },
        Action: kind === 's3-bucket' ? ['s3:GetObject', 's3:PutObject'] : '*',
        Resource: objects,
      });
    else if (grant === 'account')
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${pick(ACCOUNTS)}:root`] },
        Action: kind === 's3-bucket' ? ['s3:GetObject', 's3:ListBucket'] : '*',
        Resource: [arn, objects],
      });
    else if (grant === 'partner')
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::999999999999:root'] },
        Action: kind === 's3-bucket' ? 's3:GetObject' : '*',
        Resource: objects,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': [ORG_ID] } },
      });
    else if (grant === 'anyone')
      statements.push({
        Effect: 'Allow',
        Principal: '*',
        Action: kind === 's3-bucket' ? 's3:GetObject' : '*',
        Resource: objects,
      });
    else if (grant === 'tag-deny')
      statements.push({
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/team': ['red'] } },
      });
    else if (grant === 'prefix' && kind === 's3-bucket')
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${accountId}:root`] },
        Action: 's3:GetObject',
        Resource: `${arn}/reports/*`,
      });
    else if (grant === 'variable' && kind === 's3-bucket')
      statements.push({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        NotResource: `${arn}/home/\${aws:username}/*`,
      });
    else if (grant === 'not-principal')
      statements.push({
        Effect: 'Deny',
        NotPrincipal: { AWS: [roleArnOf(accountId, pick(roles))] },
        Action: kind === 's3-bucket' ? 's3:PutObject' : '*',
        Resource: objects,
      });
    else if (grant === 'principal-arn')
      statements.push({
        Effect: 'Deny',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::*:role/${pick(roles)}`] } },
      });
    resources.push(
      resource(kind, arn, {
        accountId,
        tags: chance(0.8) ? { team, env } : {},
        ...(statements.length > 0 ? { policy: doc(...statements) } : {}),
      }),
    );
  }

  const actions = ['s3:GetObject', 's3:ListBucket', 's3:Get*', 's3:*', 'secretsmanager:*', 'dynamodb:*', '*'];
  const some = <T>(items: readonly T[]) => [pick(items), pick(items)];
  const patterns = (): string[] =>
    pick([
      ['*'],
      ['*'],
      [`arn:aws:s3:::${pick(TEAMS)}-*`, `arn:aws:s3:::${pick(TEAMS)}-*/*`],
      [`arn:aws:s3:::*-${pick(ENVS)}-*`, `arn:aws:s3:::*-${pick(ENVS)}-*/*`],
      ['arn:aws:s3:::*/*'],
      ['arn:aws:s3:::*/reports/*'],
      [`${(pick(resources) as AwsResourceData).arn}/reports/*`],
      [(pick(resources) as AwsResourceData).arn],
      ['arn:aws:s3:::${aws:PrincipalTag/team}-*/*'],
      [`arn:aws:secretsmanager:*:*:secret:${pick(TEAMS)}-*`],
      [`arn:aws:dynamodb:*:${pick(ACCOUNTS)}:table/*`],
    ]);
  const conditions: ConditionBlock[] = [
    { StringEquals: { 'aws:ResourceTag/team': ['red'] } },
    { StringEquals: { 'aws:ResourceAccount': [pick(ACCOUNTS)] } },
    { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
  ];
  const statement = (): StatementInput => ({
    Effect: chance(0.15) ? 'Deny' : 'Allow',
    Action: some(actions),
    ...(chance(0.08) ? { NotResource: ['arn:aws:s3:::red-*'] } : { Resource: patterns() }),
    ...(chance(0.2) ? { Condition: pick(conditions) } : {}),
  });

  const boundary = `arn:aws:iam::${ACCOUNTS[0]}:policy/boundary`;
  const shared = `arn:aws:iam::${ACCOUNTS[0]}:policy/shared`;
  const accounts: AwsAccountData[] = ACCOUNTS.map((id) => account(id));
  const sharedPolicy = doc(statement(), statement());
  for (const a of accounts) {
    a.managedPolicies.push(
      managed(boundary, doc({ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*'], Resource: '*' })),
      managed(shared, sharedPolicy),
    );
    a.resources.push(...resources.filter((r) => r.accountId === a.accountId));
  }
  for (let i = 0; i < 14; i++) {
    const a = pick(accounts);
    const options = {
      // Some principals hold the same policy: their classes come from one policy text.
      policy: chance(0.4) ? sharedPolicy : doc(statement(), statement(), statement()),
      tags: (chance(0.6) ? { team: pick(TEAMS) } : {}) as Record<string, string>,
      ...(chance(0.2) ? { permissionsBoundaryArn: boundary } : {}),
    };
    if (chance(0.3)) a.users.push(user(a.accountId, `u${i}`, options));
    else a.roles.push(role(a.accountId, pick(roles), trusts({ AWS: [a.accountId] }), options));
  }
  const env = environment(...accounts);
  if (!chance(0.5)) return env;
  const rcp = (id: string, statements: StatementInput[]) => ({
    policy: { id, name: id, kind: 'rcp' as const, document: doc(...statements) },
    targets: ['r-root'],
  });
  const organization: AwsOrganizationData = {
    id: ORG_ID,
    arn: `arn:aws:organizations::${ACCOUNTS[0]}:organization/${ORG_ID}`,
    managementAccountId: '100000000001',
    rootId: 'r-root',
    accounts: ACCOUNTS.map((id) => ({ id, parentId: 'r-root' })),
    organizationalUnits: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [
      rcp('p-full', [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]),
      rcp('p-guard', [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*', 'secretsmanager:*'],
          Resource: pick([
            'arn:aws:s3:::red-*',
            'arn:aws:s3:::*/reports/*',
            `arn:aws:s3:::*-${pick(ENVS)}-*/*`,
          ]),
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': [ORG_ID] } },
        },
      ]),
    ],
  };
  return { ...env, organization };
}

/** One derivation's whole output, as comparable text (edges in their order, the rest sorted). */
function derived(env: AwsEnvironment, classes: boolean, grantHubs: boolean) {
  const authorizer = createAuthorizer(env);
  const facts = new DerivedFacts();
  const output = canAccess.derive(authorizer, { grantHubs, facts, classes });
  const access = [...facts.access].map(([id, byArn]) => [id, [...byArn].sort()]);
  return {
    // In order: the pairs come out as deciding action class by action class grants them.
    edges: output.edges.map((e) => JSON.stringify(e)),
    nodes: output.nodes.map((n) => JSON.stringify(n)).sort(),
    findings: output.findings.map((f) => JSON.stringify(f)).sort(),
    access: JSON.stringify(access),
    issues: authorizer.issues.map((i) => JSON.stringify(i)).sort(),
    evaluations: authorizer.evaluationCount,
  };
}

// 15 s alone on an idle machine; five minutes, as a full test run on two cores may take many times that.
describe('CAN_ACCESS resource classes', () => {
  it('give exactly the output of deciding every candidate resource on its own, on random estates', () => {
    let edges = 0;
    let saved = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const env = randomEnvironment(seed);
      for (const grantHubs of [true, false]) {
        const { evaluations: fast, ...classed } = derived(env, true, grantHubs);
        const { evaluations: slow, ...reference } = derived(env, false, grantHubs);
        expect(classed, `seed ${seed}, hubs ${grantHubs}`).toEqual(reference);
        edges += reference.edges.length;
        saved += slow - fast;
      }
    }
    // The estates are not trivial, and classes do stand for other resources.
    expect(edges).toBeGreaterThan(500);
    expect(saved).toBeGreaterThan(0);
  }, 300_000);
});

describe("a principal's class of a resource", () => {
  const bucket = (name: string, tags: Record<string, string> = {}) => {
    const arn = `arn:aws:s3:::${name}`;
    return resource('s3-bucket', arn, {
      accountId: ACCOUNTS[0] as string,
      tags,
      policy: doc(
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`] },
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${ACCOUNTS[1]}:role/${name}-reader`] },
          Action: 's3:GetObject',
          Resource: `${arn}/*`,
        },
      ),
    });
  };
  const principal = (name: string): RequestPrincipal => ({
    kind: 'role',
    arn: `arn:aws:iam::${ACCOUNTS[1]}:role/${name}`,
    accountId: ACCOUNTS[1] as string,
  });
  const key = (
    classes: ResourceClasses,
    r: AwsResourceData,
    patterns: string[],
    who = principal('other'),
    tags = false,
  ) => classes.key(r, 'outside', r.policy ? [r.policy] : [], { patterns, tags }, who, new Map());

  it('is one for resources whose policies read alike for it, whoever else they name', () => {
    const classes = new ResourceClasses();
    expect(key(classes, bucket('a'), ['*'])).toBe(key(classes, bucket('b'), ['*']));
  });

  it("is the resource's own when the resource's policy names the principal", () => {
    const classes = new ResourceClasses();
    const who = principal('a-reader');
    expect(key(classes, bucket('a'), ['*'], who)).not.toBe(key(classes, bucket('b'), ['*'], who));
  });

  it('tells resources apart by the patterns that match them, and by a prefix named under one', () => {
    const classes = new ResourceClasses();
    const [a, b] = [bucket('a'), bucket('b')];
    expect(key(classes, a, ['arn:aws:s3:::a*'])).not.toBe(key(classes, b, ['arn:aws:s3:::a*']));
    // `a/reports/*` matches neither `a` nor `a/*`: the prefix it names is asked of `a` alone.
    expect(key(classes, a, ['arn:aws:s3:::a/reports/*'])).not.toBe(
      key(classes, b, ['arn:aws:s3:::a/reports/*']),
    );
  });

  it('reads tags only when a statement reads aws:ResourceTag', () => {
    const classes = new ResourceClasses();
    const [red, blue] = [bucket('a', { team: 'red' }), bucket('b', { team: 'blue' })];
    expect(key(classes, red, ['*'])).toBe(key(classes, blue, ['*']));
    expect(key(classes, red, ['*'], principal('other'), true)).not.toBe(
      key(classes, blue, ['*'], principal('other'), true),
    );
  });
});

/** A what-if change (escalation's states): statements added in a policy of their own, or the first policy dropped. */
type Change = (set: PolicySet) => PolicySet;
const added = (principalId: string, statements: StatementInput[]): Change =>
  addingPolicy(principalId, 'added', ...statements);
const CHANGES: ((principalId: string) => Change)[] = [
  (id) =>
    added(id, [
      { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::red-*', 'arn:aws:s3:::red-*/*'] },
    ]),
  (id) =>
    added(id, [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/env': ['prod'] } },
      },
    ]),
  (id) =>
    added(id, [
      { Effect: 'Allow', Action: ['s3:GetObject', 'dynamodb:GetItem'], Resource: ['*/reports/*', '*dev*'] },
    ]),
  () => (set) => ({ ...set, identityPolicies: set.identityPolicies.slice(1) }),
];

describe('CAN_ACCESS resource classes in what-if states', () => {
  it("give exactly the unclassed edges of one principal's changed state, whole and in part", () => {
    let edges = 0;
    let saved = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const env = randomEnvironment(seed);
      const arns = env.accounts.flatMap((a) => a.resources.map((r) => r.arn));
      const some = new Set(arns.filter((_, i) => i % 3 !== 0));
      const outcome = (classes: boolean) => {
        // One cache for every state, as StateExplorer keeps it; each mode on its own authorizer (issues).
        const base = createAuthorizer(env);
        const cache = new AccessDerivationCache();
        const out: string[] = [];
        for (const principal of base.principals())
          for (const change of CHANGES) {
            const view = new WhatIfView(base, principal.id, change(principal.id));
            const parts: [Authorizer, OnlyPart | undefined][] = [
              [view, undefined],
              [view, { actions: (action) => view.addsAllow(action) }],
              [new AddedGrantsView(view), { actions: (action) => view.addsAllow(action), without: some }],
              [view, { resources: some }],
            ];
            for (const [over, only] of parts)
              for (const e of canAccess.derive(over, {
                cache,
                from: principal.id,
                classes,
                ...(only ? { only } : {}),
              }).edges)
                if (e.from === principal.id) out.push(JSON.stringify(e));
          }
        return {
          edges: out,
          issues: base.issues.map((i) => JSON.stringify(i)).sort(),
          evaluations: base.evaluationCount,
        };
      };
      const { evaluations: fast, ...classed } = outcome(true);
      const { evaluations: slow, ...reference } = outcome(false);
      expect(classed, `seed ${seed}`).toEqual(reference);
      expect(fast).toBeLessThanOrEqual(slow);
      edges += reference.edges.length;
      saved += slow - fast;
    }
    expect(edges).toBeGreaterThan(500);
    expect(saved).toBeGreaterThan(0);
  }, 300_000);
});
