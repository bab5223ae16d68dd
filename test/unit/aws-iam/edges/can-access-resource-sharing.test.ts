// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { Authorizer, DerivedEdge } from '../../../../src/analyzers/aws-iam/types.js';
import type { AwsEnvironment } from '../../../../src/model/aws/environment.js';
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

// A principal's decisions on buckets with policies of their own are shared across buckets whose
// policies read alike for it (`resourceDecisionKey`), never across principals: what tells two
// principals of one identity side apart (a bucket policy naming one of them, a policy variable, a
// principal tag in a condition) keeps their decisions apart, and a decision citing the bucket's
// own policy stands for that bucket only.

beforeAll(() => loadCatalog());

const ACCOUNT = '111111111111';
const SHARED = `arn:aws:iam::${ACCOUNT}:policy/data-reader`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const bucketArn = (name: string) => `arn:aws:s3:::${name}`;

/** The usual bucket policy: TLS only, plus what `extra` adds. */
function bucketPolicy(name: string, ...extra: StatementInput[]) {
  const arn = bucketArn(name);
  return doc(
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    },
    ...extra,
  );
}

/**
 * Roles `a` (team red) and `b` (team blue) with one identity side (the same managed policy, allowing
 * s3:GetObject on every bucket), user `u` with it too, and the buckets given.
 */
function estate(buckets: [string, ReturnType<typeof doc>][]): AwsEnvironment {
  const a = account(ACCOUNT);
  a.managedPolicies.push(
    managed(SHARED, doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::*/*' })),
  );
  for (const [name, team] of [
    ['a', 'red'],
    ['b', 'blue'],
  ] as const)
    a.roles.push(
      role(ACCOUNT, name, trusts({ AWS: [ACCOUNT] }), { attachedPolicyArns: [SHARED], tags: { team } }),
    );
  a.users.push(user(ACCOUNT, 'u', { attachedPolicyArns: [SHARED], tags: { team: 'red' } }));
  for (const [name, policy] of buckets)
    a.resources.push(resource('s3-bucket', bucketArn(name), { accountId: ACCOUNT, policy }));
  return environment(a);
}

/** The authorizer without resource decision keys: every request evaluated on its own. */
function straightforward(authorizer: Authorizer): Authorizer {
  return new Proxy(authorizer, {
    get(target, property) {
      if (property === 'resourceDecisionKey') return undefined;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function normalized(edges: DerivedEdge[]): string[] {
  return edges
    .map((e) =>
      JSON.stringify([e.type, e.from, e.to, e.properties, e.evidence.map((ev) => JSON.stringify(ev))]),
    )
    .sort();
}

/** CAN_ACCESS with sharing, checked against the straightforward path; its edges by `from -> to`. */
function derived(env: AwsEnvironment): Map<string, DerivedEdge> {
  const fast = createAuthorizer(env);
  const edges = canAccess.derive(fast).edges;
  const reference = canAccess.derive(straightforward(createAuthorizer(env))).edges;
  expect(normalized(edges)).toEqual(normalized(reference));
  return new Map(edges.map((e) => [`${e.from} -> ${e.to}`, e]));
}

const key = (env: AwsEnvironment, principal: string, bucket: string) =>
  createAuthorizer(env).resourceDecisionKey(principal, 's3:GetObject', `${bucketArn(bucket)}/*`);

describe('CAN_ACCESS decisions shared across buckets', () => {
  it('shares a principal’s decision between buckets whose policies read alike, and only when it cites neither', () => {
    const env = estate([
      ['one', bucketPolicy('one')],
      ['two', bucketPolicy('two')],
    ]);
    const authorizer = createAuthorizer(env);
    const one = authorizer.resourceDecisionKey(roleArn('a'), 's3:GetObject', `${bucketArn('one')}/*`);
    expect(one).toBeDefined();
    expect(authorizer.resourceDecisionKey(roleArn('a'), 's3:GetObject', `${bucketArn('two')}/*`)).toBe(one);
    const decision = authorizer.evaluate(roleArn('a'), 's3:GetObject', `${bucketArn('one')}/*`);
    expect(decision.outcome).toBe('allow');
    expect(
      authorizer.sharesResourceDecision(roleArn('a'), 's3:GetObject', `${bucketArn('one')}/*`, decision),
    ).toBe(true);
    const edges = derived(env);
    expect(edges.has(`${roleArn('a')} -> ${bucketArn('two')}`)).toBe(true);
    // Fewer evaluations than requests: the second bucket's are the first's.
    const fast = createAuthorizer(env);
    canAccess.derive(fast);
    const slow = createAuthorizer(env);
    canAccess.derive(straightforward(slow));
    expect(fast.evaluationCount).toBeLessThan(slow.evaluationCount);
  });

  it('decides per principal when the bucket policy names one principal of a shared identity side', () => {
    const naming = (who: string) => ({
      Sid: 'Named',
      Effect: 'Allow' as const,
      Principal: { AWS: [roleArn(who)] },
      Action: 's3:PutObject',
      Resource: `${bucketArn(`for-${who}`)}/*`,
    });
    const env = estate([
      ['for-a', bucketPolicy('for-a', naming('a'))],
      ['for-c', bucketPolicy('for-c', naming('c'))],
    ]);
    const put = (principal: string, bucket: string) =>
      createAuthorizer(env).resourceDecisionKey(principal, 's3:PutObject', `${bucketArn(bucket)}/*`);
    // For b the statement naming a or c does not apply: both buckets read alike for b, not for a.
    expect(put(roleArn('b'), 'for-a')).toBe(put(roleArn('b'), 'for-c'));
    expect(put(roleArn('a'), 'for-a')).not.toBe(put(roleArn('a'), 'for-c'));
    const edges = derived(env);
    const aEdge = edges.get(`${roleArn('a')} -> ${bucketArn('for-a')}`);
    expect(aEdge?.properties.actions).toContain('s3:PutObject');
    expect(aEdge?.evidence.some((e) => e.ref === `${bucketArn('for-a')}#policy`)).toBe(true);
    const bEdge = edges.get(`${roleArn('b')} -> ${bucketArn('for-a')}`);
    expect(bEdge?.properties.actions).not.toContain('s3:PutObject');
    expect(bEdge?.evidence.some((e) => e.ref === `${bucketArn('for-a')}#policy`)).toBe(false);
  });

  it('does not share a decision that cites the bucket’s own policy', () => {
    const grant = (name: string) => ({
      Sid: 'Team',
      Effect: 'Allow' as const,
      Principal: { AWS: [roleArn('a')] },
      Action: 's3:PutObject',
      Resource: `${bucketArn(name)}/*`,
    });
    const env = estate([
      ['one', bucketPolicy('one', grant('one'))],
      ['two', bucketPolicy('two', grant('two'))],
    ]);
    const authorizer = createAuthorizer(env);
    const arn = `${bucketArn('one')}/*`;
    expect(authorizer.resourceDecisionKey(roleArn('a'), 's3:PutObject', arn)).toBe(
      authorizer.resourceDecisionKey(roleArn('a'), 's3:PutObject', `${bucketArn('two')}/*`),
    );
    const decision = authorizer.evaluate(roleArn('a'), 's3:PutObject', arn);
    expect(decision.allowedBy.map((m) => m.policyId)).toContain(`${bucketArn('one')}#policy`);
    expect(authorizer.sharesResourceDecision(roleArn('a'), 's3:PutObject', arn, decision)).toBe(false);
    const edges = derived(env);
    for (const name of ['one', 'two'])
      expect(
        edges
          .get(`${roleArn('a')} -> ${bucketArn(name)}`)
          ?.evidence.some((e) => e.ref === `${bucketArn(name)}#policy`),
      ).toBe(true);
  });

  it('decides a bucket policy with a policy variable per request (${aws:username})', () => {
    const home = (name: string): StatementInput => ({
      Sid: 'OwnHomeOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      NotResource: `${bucketArn(name)}/home/\${aws:username}/*`,
    });
    const env = estate([
      ['home-1', bucketPolicy('home-1', home('home-1'))],
      ['home-2', bucketPolicy('home-2', home('home-2'))],
    ]);
    const user = `arn:aws:iam::${ACCOUNT}:user/u`;
    expect(key(env, user, 'home-1')).toBeUndefined();
    expect(key(env, roleArn('a'), 'home-1')).toBeUndefined();
    const edges = derived(env);
    // The user's whole-bucket request is denied (its home is the only exception), so it has no edge;
    // a role has no user name: the exception cannot be resolved and the Deny does not apply to it.
    expect(edges.has(`${user} -> ${bucketArn('home-1')}`)).toBe(false);
    expect(edges.has(`${roleArn('a')} -> ${bucketArn('home-1')}`)).toBe(true);
  });

  it('decides per principal when a condition reads principal tags, and per bucket tags when one reads them', () => {
    const redOnly: StatementInput = {
      Sid: 'RedOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['red'] } },
    };
    const sameTeam: StatementInput = {
      Sid: 'SameTeam',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:ResourceTag/team': ['${aws:PrincipalTag/team}'] } },
    };
    const env = estate([
      ['red-1', bucketPolicy('red-1', redOnly)],
      ['red-2', bucketPolicy('red-2', redOnly)],
    ]);
    // One principal: the two buckets read alike; a and b are decided apart (their own keys).
    expect(key(env, roleArn('a'), 'red-1')).toBe(key(env, roleArn('a'), 'red-2'));
    const edges = derived(env);
    expect(edges.has(`${roleArn('a')} -> ${bucketArn('red-2')}`)).toBe(true);
    expect(edges.has(`${roleArn('b')} -> ${bucketArn('red-1')}`)).toBe(false);
    expect(edges.has(`${roleArn('b')} -> ${bucketArn('red-2')}`)).toBe(false);

    // A condition on the bucket's tags: the tags are in the key (here with a variable: no key at all).
    const tagged = estate([
      [
        't-1',
        doc(redOnly, { ...sameTeam, Condition: { StringNotEquals: { 'aws:ResourceTag/team': ['red'] } } }),
      ],
      [
        't-2',
        doc(redOnly, { ...sameTeam, Condition: { StringNotEquals: { 'aws:ResourceTag/team': ['red'] } } }),
      ],
    ]);
    const [one, two] = tagged.accounts[0]?.resources ?? [];
    if (one) one.tags = { team: 'red' };
    if (two) two.tags = { team: 'blue' };
    expect(key(tagged, roleArn('a'), 't-1')).not.toBe(key(tagged, roleArn('a'), 't-2'));
    const taggedEdges = derived(tagged);
    expect(taggedEdges.has(`${roleArn('a')} -> ${bucketArn('t-1')}`)).toBe(true);
    expect(taggedEdges.has(`${roleArn('a')} -> ${bucketArn('t-2')}`)).toBe(false);
    expect(key(estate([['v', doc(sameTeam)]]), roleArn('a'), 'v')).toBeUndefined();
  });

  it('keys a what-if state by its changed identity side', () => {
    const env = estate([['one', bucketPolicy('one')]]);
    const authorizer = createAuthorizer(env);
    const arn = `${bucketArn('one')}/*`;
    const plain = authorizer.resourceDecisionKey(roleArn('a'), 's3:GetObject', arn);
    expect(
      authorizer.resourceDecisionKeyWith(roleArn('a'), 's3:GetObject', arn, undefined, (set) => set),
    ).toBe(plain);
    const denied = authorizer.resourceDecisionKeyWith(
      roleArn('a'),
      's3:GetObject',
      arn,
      undefined,
      (set) => ({
        ...set,
        identityPolicies: [
          ...set.identityPolicies,
          {
            id: 'added',
            name: 'added',
            kind: 'inline',
            document: doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: arn }),
          },
        ],
      }),
    );
    expect(denied).toBeDefined();
    expect(denied).not.toBe(plain);
  });

  it('shares an explicit denial by the principal’s own policies, never an implicit one (its wording names the bucket)', () => {
    const env = estate([
      ['one', bucketPolicy('one')],
      ['two', bucketPolicy('two')],
    ]);
    env.accounts[0]?.users.push(
      user(ACCOUNT, 'd', {
        policy: doc(
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
        ),
      }),
    );
    const authorizer = createAuthorizer(env);
    const d = `arn:aws:iam::${ACCOUNT}:user/d`;
    const denied = authorizer.evaluate(d, 's3:DeleteBucket', bucketArn('one'));
    expect(denied.outcome).toBe('explicit-deny');
    expect(authorizer.sharesResourceDecision(d, 's3:DeleteBucket', bucketArn('one'), denied)).toBe(true);
    expect(authorizer.resourceDecisionKey(d, 's3:DeleteBucket', bucketArn('one'))).toBe(
      authorizer.resourceDecisionKey(d, 's3:DeleteBucket', bucketArn('two')),
    );
    const implicit = authorizer.evaluate(roleArn('a'), 's3:DeleteBucket', bucketArn('one'));
    expect(implicit.outcome).toBe('implicit-deny');
    expect(
      authorizer.sharesResourceDecision(roleArn('a'), 's3:DeleteBucket', bucketArn('one'), implicit),
    ).toBe(false);
    derived(env);
  });
});
