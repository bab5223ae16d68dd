import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { MemoryPathQueries } from '../../../src/answers/questions.js';
import { compareRouteIds as comparePaths } from '../../../src/answers/route-rule.js';
import type { InventoryInput } from '../../../src/model/inventory.js';
import { validateInventory } from '../../../src/model/validate.js';

const A = '111111111111';
const B = '222222222222';
const role = (name: string, account = A) => `arn:aws:iam::${account}:role/${name}`;
const user = (name: string) => `arn:aws:iam::${A}:user/${name}`;
const acct = (id: string) => `aws:account:${id}`;
const BUCKET = 'arn:aws:s3:::prod-data';
const FN = `arn:aws:lambda:eu-west-1:${A}:function:worker`;

type Rel = NonNullable<InventoryInput['relationships']>[number];

function edge(type: string, from: string, to: string, extra: Partial<Rel> = {}, conditions?: string[]): Rel {
  return {
    type,
    from,
    to,
    evidence: [
      {
        source: 'identity-policy',
        ref: `${from}#inline/p`,
        statement: '#0',
        reason: `${type} from ${from.split('/').pop()} to ${to.split(/[/:]/).pop()}`,
        ...(conditions ? { conditions } : {}),
      },
    ],
    ...extra,
  };
}

/**
 * Account A: ci → deploy (which can make itself admin) → admin (an administrator); bob reaches
 * admin only with MFA; z can self-escalate through deploy or become zz-admin, both 2 edges; a
 * Lambda function reaches admin in three hops; B is administered by nobody.
 */
function playground(): MemoryPathQueries {
  const principal = (id: string, name: string, kind: string, nhiType?: string) => ({
    id,
    kind,
    scope: `aws:${A}`,
    properties: { name, nonHuman: nhiType !== undefined, ...(nhiType ? { nhiType } : {}), accountId: A },
  });
  const input: InventoryInput = {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'playground' },
    scopes: [
      { id: `aws:${A}`, provider: 'aws' },
      { id: `aws:${B}`, provider: 'aws' },
    ],
    nodes: [
      { id: acct(A), kind: 'AwsAccount', scope: `aws:${A}`, properties: { name: A, accountId: A } },
      { id: acct(B), kind: 'AwsAccount', scope: `aws:${B}`, properties: { name: B, accountId: B } },
      principal(user('ci'), 'ci', 'AwsUser', 'ci-pipeline'),
      principal(user('bob'), 'bob', 'AwsUser'),
      principal(user('z'), 'z', 'AwsUser', 'bot'),
      ...['deploy', 'admin', 'zz-admin', 'r1', 'r2', 'reader'].map((n) =>
        principal(role(n), n, 'AwsRole', 'role'),
      ),
      principal(FN, 'worker', 'AwsLambdaFunction', 'workload'),
      {
        id: BUCKET,
        kind: 'AwsS3Bucket',
        scope: `aws:${A}`,
        properties: { name: 'prod-data', environment: 'production' },
      },
    ],
    relationships: [
      edge('CAN_ASSUME', user('ci'), role('deploy')),
      edge('CAN_ESCALATE', role('deploy'), acct(A), {
        properties: { technique: 'iam-put-role-policy', self: true },
      }),
      edge('CAN_ASSUME', role('deploy'), role('admin')),
      edge('ADMINISTERS', role('admin'), acct(A)),
      edge('ADMINISTERS', role('zz-admin'), acct(A)),
      edge('CAN_ASSUME', user('bob'), role('admin'), {}, ['aws:MultiFactorAuthPresent']),
      // Inserted first so that the answer cannot come from insertion order.
      edge('CAN_ASSUME', user('z'), role('zz-admin')),
      edge('CAN_ASSUME', user('z'), role('deploy')),
      edge('RUNS_AS', FN, role('r1')),
      edge('CAN_ASSUME', role('r1'), role('r2')),
      edge('CAN_ASSUME', role('r2'), role('admin')),
      edge('CAN_ACCESS', role('admin'), BUCKET, { properties: { levels: ['read', 'write'] } }),
      edge('CAN_ACCESS', role('reader'), BUCKET, { properties: { levels: ['list', 'read'] } }),
    ],
  };
  return new MemoryPathQueries(MemoryGraph.fromInventory(validateInventory(input, 'playground')));
}

describe('in-memory escalations', () => {
  const queries = playground();

  it('answers every non-administrator that can become one, with the shortest path', async () => {
    const answers = await queries.escalations();
    expect(answers.map((a) => [a.principal, a.hops, a.self, a.conditional])).toEqual([
      [role('deploy'), 1, true, false],
      [role('r1'), 2, false, false],
      [role('r2'), 1, false, false],
      [user('bob'), 1, false, true],
      [user('ci'), 2, true, false],
      [user('z'), 2, true, false],
      [FN, 3, false, false],
    ]);
    // Administrators are not escalations; the account nobody administers has none.
    expect(answers.some((a) => a.principal === role('admin') || a.account === B)).toBe(false);
  });

  it('explains each hop with its type, technique, reason and evidence', async () => {
    const ci = (await queries.escalations({ account: A })).find((a) => a.principal === user('ci'));
    expect(ci?.path.map((h) => [h.from, h.type, h.to, h.technique])).toEqual([
      [user('ci'), 'CAN_ASSUME', role('deploy'), null],
      [role('deploy'), 'CAN_ESCALATE', acct(A), 'iam-put-role-policy'],
    ]);
    expect(ci?.path[1]?.evidence[0]).toMatchObject({ source: 'identity-policy', statement: '#0' });
    expect(ci?.path[1]?.reason).toContain('CAN_ESCALATE from deploy');
    const bob = (await queries.escalations()).find((a) => a.principal === user('bob'));
    expect(bob?.path.map((h) => [h.type, h.conditional])).toEqual([
      ['CAN_ASSUME', true],
      ['ADMINISTERS', false],
    ]);
  });

  it('picks among equally short paths by target id, not by insertion order', async () => {
    const z = (await queries.escalations()).find((a) => a.principal === user('z'));
    expect(z?.path.map((h) => h.to)).toEqual([role('deploy'), acct(A)]);
  });

  it('bounds the hops: a self-escalation one hop over the limit gives way to ADMINISTERS', async () => {
    const answers = await queries.escalations({ maxHops: 1 });
    expect(answers.map((a) => a.principal)).toEqual([role('deploy'), role('r2'), user('bob'), user('z')]);
    const z = answers.find((a) => a.principal === user('z'));
    expect(z?.path.map((h) => h.type)).toEqual(['CAN_ASSUME', 'ADMINISTERS']);
    expect(z?.path[0]?.to).toBe(role('zz-admin'));
    expect((await queries.escalations({ maxHops: 2 })).map((a) => a.principal)).not.toContain(FN);
    expect((await queries.escalations({ maxHops: 3 })).map((a) => a.principal)).toContain(FN);
  });

  it('filters by account and rejects bad options', async () => {
    expect(await queries.escalations({ account: B })).toEqual([]);
    await expect(queries.escalations({ account: '123' })).rejects.toThrow(/--account: expected a 12-digit/);
    await expect(queries.escalations({ maxHops: 11 })).rejects.toThrow(
      /--max-hops: expected an integer from 0 to 10/,
    );
  });
});

describe('in-memory admins, reach and who-can', () => {
  const queries = playground();

  it('lists administrators with their evidence', async () => {
    const admins = await queries.admins();
    expect(admins.map((a) => [a.account, a.principal])).toEqual([
      [A, role('admin')],
      [A, role('zz-admin')],
    ]);
    expect(admins[0]?.evidence[0]?.ref).toBe(`${role('admin')}#inline/p`);
  });

  it('finds paths from filtered principals to filtered resources', async () => {
    const answers = await queries.reach({
      from: 'nonHuman=true',
      to: 'environment=production,type=AwsS3Bucket',
    });
    expect(answers.map((a) => [a.principal, a.hops, a.levels])).toEqual([
      [role('admin'), 0, ['read', 'write']],
      [role('deploy'), 1, ['read', 'write']],
      [role('r1'), 2, ['read', 'write']],
      [role('r2'), 1, ['read', 'write']],
      [role('reader'), 0, ['list', 'read']],
      [user('ci'), 2, ['read', 'write']],
      [user('z'), 2, ['read', 'write']],
      [FN, 3, ['read', 'write']],
    ]);
    // bob is human; z cannot reach the bucket through zz-admin (no CAN_ACCESS there) but through deploy.
    const byId = await queries.reach({ from: user('ci'), to: `id=${BUCKET}`, maxHops: 1 });
    expect(byId).toEqual([]);
    const account = await queries.reach({ from: `account=${A},type=AwsUser`, to: 'type=AwsS3Bucket' });
    expect(account.map((a) => a.principal)).toEqual([user('bob'), user('ci'), user('z')]);
  });

  it('answers who can reach a resource, at a level', async () => {
    const all = await queries.whoCan({ resource: BUCKET });
    expect(all.find((a) => a.principal === role('reader'))?.levels).toEqual(['list', 'read']);
    const writers = await queries.whoCan({ resource: BUCKET, level: 'write' });
    expect(writers.map((a) => a.principal)).not.toContain(role('reader'));
    expect(writers.find((a) => a.principal === user('bob'))).toMatchObject({ hops: 1, conditional: true });
    expect(await queries.whoCan({ resource: 'arn:aws:s3:::nothing' })).toEqual([]);
    await expect(queries.whoCan({ resource: BUCKET, level: 'delete' })).rejects.toThrow(/--level/);
  });
});

describe('the greedy choice equals the first of all shortest paths', () => {
  // Small random graphs: brute force lists every path, keeps the shortest, and takes the first in
  // comparePaths order, which is what the Neo4j answerer does with ALL SHORTEST rows.
  const names = ['a', 'b', 'c', 'd', 'e'];
  const types = ['CAN_ASSUME', 'CAN_ESCALATE'];
  const arbitraryEdges = fc.uniqueArray(
    fc.record({
      from: fc.constantFrom(...names),
      to: fc.constantFrom(...names, 'ACCOUNT'),
      type: fc.constantFrom(...types, 'ADMINISTERS'),
    }),
    { selector: (e) => `${e.type} ${e.from} ${e.to}`, maxLength: 18 },
  );

  it('for escalations', () => {
    fc.assert(
      fc.property(arbitraryEdges, fc.integer({ min: 0, max: 4 }), (raw, maxHops) => {
        const edges = raw.filter(
          (e) =>
            e.from !== e.to &&
            (e.to === 'ACCOUNT') === (e.type !== 'CAN_ASSUME') &&
            !(e.type === 'ADMINISTERS' && e.to !== 'ACCOUNT'),
        );
        const id = (n: string) => (n === 'ACCOUNT' ? acct(A) : role(n));
        const input: InventoryInput = {
          format: 'reachgraph-inventory',
          version: 1,
          source: { name: 'random' },
          scopes: [{ id: `aws:${A}`, provider: 'aws' }],
          nodes: [
            { id: acct(A), kind: 'AwsAccount', scope: `aws:${A}`, properties: { name: A } },
            ...names.map((n) => ({
              id: role(n),
              kind: 'AwsRole',
              scope: `aws:${A}`,
              properties: { name: n, nonHuman: true, nhiType: 'role' },
            })),
          ],
          relationships: edges.map((e) =>
            edge(
              e.type,
              id(e.from),
              id(e.to),
              e.type === 'CAN_ESCALATE' ? { properties: { technique: 't' } } : {},
            ),
          ),
        };
        const answers = new MemoryPathQueries(
          MemoryGraph.fromInventory(validateInventory(input, 'random')),
        ).escalationsNow({ maxHops });
        const got = Object.fromEntries(
          answers.map((a) => [a.principal, a.path.map((h) => ({ to: h.to, type: h.type }))]),
        );
        const expected: Record<string, { to: string; type: string }[]> = {};
        const admins = new Set(edges.filter((e) => e.type === 'ADMINISTERS').map((e) => id(e.from)));
        for (const start of names.map((n) => role(n))) {
          if (admins.has(start)) continue;
          // Neo4j: the shortest length under the length bound, then the hop bound on those paths.
          const all: { to: string; type: string }[][] = [];
          const collect = (at: string, path: { to: string; type: string }[], visited: Set<string>) => {
            if (path.length >= maxHops + 1) return;
            for (const e of edges.filter((x) => id(x.from) === at)) {
              const step = { to: id(e.to), type: e.type };
              const next = [...path, step];
              if (e.to === 'ACCOUNT') all.push(next);
              else if (!visited.has(step.to)) collect(step.to, next, new Set([...visited, step.to]));
            }
          };
          collect(start, [], new Set([start]));
          if (all.length === 0) continue;
          const shortest = Math.min(...all.map((p) => p.length));
          const kept = all
            .filter(
              (p) => p.length === shortest && p.filter((s) => s.type !== 'ADMINISTERS').length <= maxHops,
            )
            .sort(comparePaths);
          if (kept[0]) expected[start] = kept[0];
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
