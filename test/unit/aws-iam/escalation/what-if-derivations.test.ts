import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticAwsEnvironment } from '../../../../bench/synthetic-aws.js';
import { denseAwsEnvironment } from '../../../../bench/synthetic-aws-dense.js';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { AccessDerivationCache, canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import { AssumableRoles, canAssume } from '../../../../src/analyzers/aws-iam/edges/can-assume.js';
import { AddedGrantsView, WhatIfView } from '../../../../src/analyzers/aws-iam/escalation/what-if-view.js';
import type { Authorizer, DerivedEdge } from '../../../../src/analyzers/aws-iam/types.js';
import { expandGrants } from '../../../../src/model/grants.js';
import { addingPolicy, type StatementInput } from '../../../helpers/aws-environment.js';

// What-if states derive one principal's edges with `from` and a cache shared by every state; the
// answer must be exactly what deriving the whole family over the state and keeping that
// principal's edges gives. Checked on a seeded synthetic estate (wildcards, boundaries, resource
// policies, trust policies naming accounts and anyone, several accounts).
const environment = syntheticAwsEnvironment({
  principals: 160,
  policies: 320,
  resources: 120,
  accounts: 3,
  seed: 7,
});
const base = createAuthorizer(environment);
const principals = base.principals().filter((_, i) => i % 8 === 0);

/** A change that widens data access and role assumption: `s3:*`, `kms:Decrypt`, `sts:AssumeRole` on `*`. */
const widened = (principalId: string) =>
  addingPolicy(principalId, 'test', {
    Effect: 'Allow',
    Action: ['s3:*', 'kms:Decrypt', 'sts:AssumeRole'],
    Resource: ['*'],
  });

beforeAll(() => loadCatalog());

const of = (edges: DerivedEdge[], from: string) => edges.filter((e) => e.from === from);

describe('one principal’s edges in a what-if state', () => {
  const cache = new AccessDerivationCache();
  const states: [string, string, Authorizer][] = principals.flatMap((p) => [
    [p.id, 'unchanged', new WhatIfView(base, p.id, (set) => set)] as [string, string, Authorizer],
    [p.id, 'widened', new WhatIfView(base, p.id, widened(p.id))] as [string, string, Authorizer],
  ]);

  it('CAN_ACCESS with `from` and a shared cache equals the whole family’s edges of that principal', () => {
    let gained = 0;
    for (const [id, name, view] of states) {
      const whole = of(canAccess.derive(view).edges, id);
      const narrow = canAccess.derive(view, { cache, from: id }).edges;
      expect(narrow, `${name} ${id}`).toEqual(whole);
      if (name === 'widened')
        gained += narrow.length - canAccess.derive(base, { cache, from: id }).edges.length;
    }
    // Not vacuous: the estate's principals reach resources, and the widened states reach more.
    expect(states.some(([id, , view]) => canAccess.derive(view, { cache, from: id }).edges.length > 0)).toBe(
      true,
    );
    expect(gained).toBeGreaterThan(0);
  }, 60_000);

  it('CAN_ACCESS over the environment itself: `from` gives that principal’s edges alone', () => {
    const whole = canAccess.derive(base).edges;
    let narrowed = 0;
    for (const p of principals) {
      const narrow = canAccess.derive(base, { cache, from: p.id }).edges;
      expect(narrow).toEqual(of(whole, p.id));
      narrowed += narrow.length;
    }
    expect(narrowed).toBeGreaterThan(0);
    expect(whole.length).toBeGreaterThan(narrowed);
  }, 60_000);

  it('CAN_ASSUME: the roles `AssumableRoles` gives one principal are its pairs in the whole family, hubs expanded', () => {
    // The synthetic estate, and a dense account whose trusts admitting the account root form
    // trust-class groups (decided once per group for a caller its statements decide alike).
    const dense = createAuthorizer(denseAwsEnvironment({ roles: 120, seed: 5 }));
    const cases: [Authorizer, [string, string, Authorizer][]][] = [
      [base, states],
      [
        dense,
        dense
          .principals()
          .filter((_, i) => i % 4 === 0)
          .flatMap((p) => [
            [p.id, 'unchanged', new WhatIfView(dense, p.id, (set) => set)] as [string, string, Authorizer],
            [p.id, 'widened', new WhatIfView(dense, p.id, widened(p.id))] as [string, string, Authorizer],
          ]),
      ],
    ];
    let pairs = 0;
    let gained = 0;
    for (const [environmentAuthorizer, views] of cases) {
      const roles = new AssumableRoles(environmentAuthorizer);
      const unchanged = new Map<string, number>();
      for (const [id, name, view] of views) {
        const out = canAssume.derive(view, { grantHubs: true });
        const whole = of(expandGrants({ nodes: out.nodes ?? [], relationships: out.edges }).relationships, id)
          .map((e) => e.to)
          .sort();
        const found = roles.assumableBy(view, id);
        expect([...found].sort(), `${name} ${id}`).toEqual(whole);
        // Roles left out by `skip` are only left out.
        const skipped = new Set(whole.filter((_, i) => i % 2 === 0));
        const rest = roles
          .assumableBy(view, id, (arn) => skipped.has(arn))
          .filter((arn) => !skipped.has(arn));
        expect(rest.sort()).toEqual(whole.filter((arn) => !skipped.has(arn)));
        pairs += whole.length;
        if (name === 'unchanged') unchanged.set(id, whole.length);
        else gained += whole.length - (unchanged.get(id) ?? 0);
      }
    }
    expect(pairs).toBeGreaterThan(0);
    expect(gained).toBeGreaterThan(0);
  }, 120_000);

  it('`permitted` shares decisions across targets of one decision key and answers as `evaluate` does', () => {
    // IAM writes on users and roles, as the states' techniques ask them of every target; a change
    // granting them under conditions and tags, and another denying some.
    const actions = [
      'iam:AttachRolePolicy',
      'iam:CreateAccessKey',
      'iam:PutUserPolicy',
      'iam:UpdateAssumeRolePolicy',
    ];
    const iamWrites = (principalId: string, deny: boolean) =>
      addingPolicy(
        principalId,
        'iam',
        { Effect: 'Allow', Action: actions.slice(0, 2), Resource: ['*'] },
        {
          Effect: 'Allow',
          Action: actions.slice(2),
          Resource: ['arn:aws:iam::*:user/*', 'arn:aws:iam::*:role/a*'],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
        },
        ...(deny
          ? [
              {
                Effect: 'Deny' as const,
                Action: ['iam:CreateAccessKey'],
                Resource: ['arn:aws:iam::*:user/b*'],
              },
            ]
          : []),
      );
    const targets = base.principals().map((p) => p.id);
    let permittedCount = 0;
    let shared = 0;
    for (const p of principals)
      for (const deny of [false, true]) {
        const view = new WhatIfView(base, p.id, iamWrites(p.id, deny));
        const reference = new WhatIfView(base, p.id, iamWrites(p.id, deny));
        for (const action of actions)
          for (const target of targets) {
            const expected = reference.evaluate(p.id, action, target);
            const answer = view.permitted(p.id, action, target);
            const granted = expected.outcome === 'allow' || expected.outcome === 'conditional';
            expect(answer, `${p.id} ${action} ${target}`).toEqual(granted ? expected : undefined);
            if (answer) permittedCount++;
          }
        shared += targets.length * actions.length;
      }
    expect(permittedCount).toBeGreaterThan(0);
    expect(permittedCount).toBeLessThan(shared);
  }, 120_000);

  it('CAN_ACCESS of what a change adds: over the resources its Allow statements name, the same resources gain a level', () => {
    // Changes that only add policies: narrow and wide data grants, a NotAction grant, a Deny beside
    // an Allow, a grant under a condition, a policy variable.
    const changes: StatementInput[][] = [
      [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::*1*', 'arn:aws:s3:::*1*/*'],
        },
      ],
      [
        { Effect: 'Allow', Action: ['s3:*', 'dynamodb:*'], Resource: ['*'] },
        { Effect: 'Deny', Action: ['s3:PutObject'], Resource: ['*'] },
      ],
      [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: ['arn:aws:s3:::*2*'] }],
      [
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'sqs:*'],
          Resource: ['*'],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
        },
      ],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
      [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::${aws:username}*/*'] }],
    ];
    const gaining = (over: Authorizer, view: WhatIfView, id: string) => {
      const before = new Map(canAccess.derive(base, { cache, from: id }).edges.map((e) => [e.to, e]));
      return canAccess
        .derive(over, { cache, from: id, only: { actions: (action) => view.addsAllow(action) } })
        .edges.filter((e) => {
          const held = new Set((before.get(e.to)?.properties.levels as string[] | undefined) ?? []);
          return (e.properties.levels as string[]).some((l) => !held.has(l));
        })
        .map((e) => e.to)
        .sort();
    };
    let gained = 0;
    for (const p of principals)
      for (const statements of changes) {
        const view = new WhatIfView(base, p.id, addingPolicy(p.id, 'added', ...statements));
        expect(view.onlyAdds).toBe(true);
        const all = gaining(view, view, p.id);
        expect(
          gaining(new AddedGrantsView(view), view, p.id),
          `${p.id} ${JSON.stringify(statements)}`,
        ).toEqual(all);
        gained += all.length;
      }
    expect(gained).toBeGreaterThan(0);
  }, 120_000);
});
