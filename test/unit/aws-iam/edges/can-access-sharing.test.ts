// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { Authorizer, DerivedEdge } from '../../../../src/analyzers/aws-iam/types.js';
import type {
  AwsAccountData,
  AwsEnvironment,
  AwsOrganizationData,
  AwsResourceData,
} from '../../../../src/model/aws/environment.js';
import type { ConditionBlock } from '../../../../src/model/aws/policy.js';
import {
  account,
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

// CAN_ACCESS shares one decision among resources the authorizer keys alike (`decisionKey`) and
// skips resources whose policy names only the principal's account. On random environments (seeded)
// it must give exactly the edges of the straightforward path: every candidate evaluated on its own.

beforeAll(() => loadCatalog());

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const TEAMS = ['red', 'blue'];
const ORG_ID = 'o-abc1234567';

function randomEnvironment(seed: number): AwsEnvironment {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;

  const resources: AwsResourceData[] = [];
  for (let i = 0; i < 24; i++) {
    const accountId = pick(ACCOUNTS);
    const team = pick(TEAMS);
    const tags: Record<string, string> = chance(0.7) ? { team } : {};
    const kind = pick(['s3-bucket', 's3-bucket', 'secret', 'kms-key', 'dynamodb-table'] as const);
    const arn =
      kind === 's3-bucket'
        ? `arn:aws:s3:::${team}-data-${i}`
        : kind === 'secret'
          ? `arn:aws:secretsmanager:eu-west-1:${accountId}:secret:${team}-${i}-AbCdEf`
          : kind === 'kms-key'
            ? `arn:aws:kms:eu-west-1:${accountId}:key/${team}-${i}`
            : `arn:aws:dynamodb:eu-west-1:${accountId}:table/${team}-${i}`;
    const named = pick([
      `arn:aws:iam::${pick(ACCOUNTS)}:root`,
      `arn:aws:iam::${accountId}:role/r${Math.floor(random() * 8)}`,
      '*',
      '999999999999',
    ]);
    const policy =
      kind === 'kms-key' || chance(0.35)
        ? doc(
            {
              Effect: 'Allow',
              Principal: named === '*' ? '*' : { AWS: [named] },
              Action: pick(['s3:GetObject', 's3:*', 'kms:*', 'secretsmanager:GetSecretValue', '*']),
              Resource: '*',
              ...(chance(0.3) ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': [ORG_ID] } } } : {}),
            },
            ...(chance(0.3)
              ? [
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: pick(['*', 's3:PutObject']),
                    Resource: '*',
                    Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
                  } as StatementInput,
                ]
              : []),
            // What a bucket policy may read of the principal or of the bucket itself.
            ...(chance(0.5)
              ? [
                  pick<StatementInput>([
                    {
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:*',
                      Resource: [arn, `${arn}/*`],
                      Condition: { StringNotEquals: { 'aws:PrincipalTag/team': [team] } },
                    },
                    {
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:GetObject',
                      NotResource: `${arn}/home/\${aws:username}/*`,
                    },
                    {
                      Effect: 'Allow',
                      Principal: { AWS: [`arn:aws:iam::${accountId}:role/r${Math.floor(random() * 8)}`] },
                      Action: 's3:PutObject',
                      Resource: `${arn}/*`,
                    },
                    {
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:*',
                      Resource: '*',
                      Condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/team': ['red'] } },
                    },
                    {
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 's3:*',
                      Resource: '*',
                      Condition: {
                        StringNotLike: {
                          'aws:PrincipalArn': [`arn:aws:iam::*:role/r${Math.floor(random() * 8)}`],
                        },
                      },
                    },
                  ]),
                ]
              : []),
          )
        : undefined;
    resources.push(resource(kind, arn, { accountId, tags, ...(policy ? { policy } : {}) }));
  }

  const actions = [
    's3:GetObject',
    's3:ListBucket',
    's3:Get*',
    's3:*',
    'kms:Decrypt',
    'kms:*',
    'secretsmanager:GetSecretValue',
    'dynamodb:*',
    'dynamodb:GetItem',
    '*',
  ];
  const patterns = (): string[] =>
    pick([
      ['*'],
      [`arn:aws:s3:::${pick(TEAMS)}-*`, `arn:aws:s3:::${pick(TEAMS)}-*/*`],
      ['arn:aws:s3:::*/*'],
      ['arn:aws:s3:::${aws:PrincipalTag/team}-*', 'arn:aws:s3:::${aws:PrincipalTag/team}-*/*'],
      ['arn:aws:s3:::${aws:SourceIdentity}-data-*/*'],
      [`arn:aws:secretsmanager:*:*:secret:${pick(TEAMS)}-*`],
      [`arn:aws:kms:eu-west-1:${pick(ACCOUNTS)}:key/*`],
      [`arn:aws:dynamodb:*:${pick(ACCOUNTS)}:table/*`],
      [(pick(resources) as AwsResourceData).arn],
    ]);
  const conditions: ConditionBlock[] = [
    { StringEquals: { 'aws:ResourceTag/team': ['${aws:PrincipalTag/team}'] } },
    { StringEquals: { 'aws:ResourceTag/team': ['red'] } },
    { StringEquals: { 'aws:ResourceAccount': [pick(ACCOUNTS)] } },
    { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
    { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': [ORG_ID] } },
  ];
  const statement = (): StatementInput => ({
    Effect: chance(0.2) ? 'Deny' : 'Allow',
    ...(chance(0.08) ? { NotAction: ['iam:*'] } : { Action: [pick(actions), pick(actions)] }),
    ...(chance(0.08) ? { NotResource: [`arn:aws:s3:::red-*`] } : { Resource: patterns() }),
    ...(chance(0.3) ? { Condition: pick(conditions) } : {}),
  });

  const boundary = `arn:aws:iam::${ACCOUNTS[0]}:policy/boundary`;
  const accounts: AwsAccountData[] = ACCOUNTS.map((id) => account(id));
  for (const a of accounts) {
    a.managedPolicies.push(
      managed(boundary, doc({ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' })),
    );
    a.resources.push(...resources.filter((r) => r.accountId === a.accountId));
  }
  for (let i = 0; i < 16; i++) {
    const a = pick(accounts);
    const options = {
      policy: doc(statement(), statement(), statement()),
      tags: (chance(0.6) ? { team: pick(TEAMS) } : {}) as Record<string, string>,
      ...(chance(0.2) ? { permissionsBoundaryArn: boundary } : {}),
    };
    if (chance(0.3)) a.users.push(user(a.accountId, `u${i}`, options));
    else a.roles.push(role(a.accountId, `r${i % 8}`, trusts({ AWS: [a.accountId] }), options));
  }
  const env = environment(...accounts);
  if (chance(0.6)) {
    const rcp = (id: string, statements: StatementInput[], targets: string[]) => ({
      policy: { id, name: id, kind: 'rcp' as const, document: doc(...statements) },
      targets,
    });
    const organization: AwsOrganizationData = {
      id: ORG_ID,
      arn: `arn:aws:organizations::${ACCOUNTS[0]}:organization/${ORG_ID}`,
      managementAccountId: '100000000001',
      rootId: 'r-root',
      accounts: [
        { id: ACCOUNTS[0] as string, parentId: 'r-root' },
        { id: ACCOUNTS[1] as string, parentId: 'r-root' },
      ],
      organizationalUnits: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [
        rcp('p-full', [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }], ['r-root']),
        rcp(
          'p-guard',
          [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: ['s3:*', 'secretsmanager:*'],
              Resource: pick(['*', 'arn:aws:s3:::red-*', 'arn:aws:s3:::*/*']),
              Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': [ORG_ID] } },
            },
          ],
          ['r-root'],
        ),
      ],
    };
    return { ...env, organization };
  }
  return env;
}

/** The authorizer without its shortcuts: no shared decisions, every resource naming the principal. */
function straightforward(authorizer: Authorizer): Authorizer {
  return new Proxy(authorizer, {
    get(target, property) {
      if (property === 'decisionKey' || property === 'resourceDecisionKey') return undefined;
      if (property === 'resourcesNaming')
        return (principalId: string, action: string) => target.resourcesNaming?.(principalId, action);
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Edges as comparable text, evidence in a stable order. */
function normalized(edges: DerivedEdge[]): string[] {
  return edges
    .map((e) =>
      JSON.stringify([
        e.type,
        e.from,
        e.to,
        e.properties,
        [...e.evidence].map((ev) => JSON.stringify(ev)).sort(),
      ]),
    )
    .sort();
}

describe('CAN_ACCESS shortcuts', () => {
  it('give the same edges as evaluating every candidate on its own, on random environments', () => {
    let total = 0;
    let shared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const env = randomEnvironment(seed);
      const fast = createAuthorizer(env);
      const optimized = canAccess.derive(fast);
      const slow = createAuthorizer(env);
      const reference = canAccess.derive(straightforward(slow));
      expect(normalized(optimized.edges), `seed ${seed}`).toEqual(normalized(reference.edges));
      expect(optimized.findings, `seed ${seed}`).toEqual(reference.findings);
      total += reference.edges.length;
      shared += slow.evaluationCount - fast.evaluationCount;
    }
    // The environments are not trivial, and the shortcuts do save evaluations.
    expect(total).toBeGreaterThan(200);
    expect(shared).toBeGreaterThan(0);
    // 40 environments evaluated twice: a few seconds alone, more on a busy 2-core machine.
  }, 60_000);
});
