import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { analyzeAws, syncAws } from '../helpers/aws-sync.js';
import { snapshot, testExecutor, wipe } from '../helpers/graph.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/aws/multi-account', import.meta.url));
const PROD = '222222222222';
const executor = testExecutor();
const graph = new GraphPathQueries(executor);
let memory: MemoryPathQueries;
let resources: string[];
const work = mkdtempSync(join(tmpdir(), 'reachgraph-aws-queries-'));

beforeAll(async () => {
  await wipe(executor);
  await syncAws(executor, { snapshotDir: FIXTURE });
  const { valid } = await analyzeAws({ snapshotDir: FIXTURE });
  memory = new MemoryPathQueries(MemoryGraph.fromInventory(valid));
  resources = valid.nodes.filter((n) => n.labels.includes('Resource')).map((n) => n.id);
});
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('Neo4j and in-memory answers are the same on the fixture', () => {
  it('escalations, for all accounts, one account and a tight hop limit', async () => {
    const all = await graph.escalations();
    expect(all.length).toBeGreaterThan(0);
    expect(all).toEqual(await memory.escalations());
    // An account's root already controls its own account; another account's root can escalate there.
    const roots = all.filter((a) => a.principal.endsWith(':root')).map((a) => [a.principal, a.account]);
    expect(roots.every(([principal, account]) => principal?.split(':')[4] !== account)).toBe(true);
    expect(roots).toContainEqual(['arn:aws:iam::111111111111:root', '333333333333']);
    expect(await graph.escalations({ account: PROD })).toEqual(await memory.escalations({ account: PROD }));
    for (const maxHops of [0, 1, 2])
      expect(await graph.escalations({ maxHops })).toEqual(await memory.escalations({ maxHops }));
  });

  it('admins', async () => {
    const admins = await graph.admins();
    expect(admins.length).toBeGreaterThan(0);
    expect(admins).toEqual(await memory.admins());
    expect(await graph.admins({ account: PROD })).toEqual(await memory.admins({ account: PROD }));
  });

  it('reach, with filters, ids and levels', async () => {
    const cases = [
      { from: 'nonHuman=true', to: 'environment=production' },
      { from: `account=${PROD}`, to: 'type=AwsS3Bucket', level: 'write' },
      { from: 'type=OidcSubject', to: 'environment=production', maxHops: 2 },
      { from: 'arn:aws:iam::111111111111:role/ci/gha-infra', to: 'id=arn:aws:s3:::acme-prod-customer-data' },
    ];
    let found = 0;
    for (const options of cases) {
      const answers = await graph.reach(options);
      found += answers.length;
      expect(answers, JSON.stringify(options)).toEqual(await memory.reach(options));
    }
    expect(found).toBeGreaterThan(0);
  });

  it('who-can, for every resource, at every level', async () => {
    let found = 0;
    for (const resource of resources) {
      for (const level of [undefined, 'write']) {
        const answers = await graph.whoCan({ resource, level });
        found += answers.length;
        expect(answers, `${resource} ${level}`).toEqual(await memory.whoCan({ resource, level }));
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe('sync aws runs', () => {
  it('are idempotent: a second sync writes the same counts and deletes nothing', async () => {
    const before = await snapshot(executor);
    const first = await syncAws(executor, { snapshotDir: FIXTURE });
    const second = await syncAws(executor, { snapshotDir: FIXTURE });
    expect(second.load.counts).toEqual(first.load.counts);
    expect(second.load.deleted).toEqual({});
    expect(second.load.cleanedScopes).toEqual(first.load.cleanedScopes);
    expect(await snapshot(executor)).toEqual(before);
  });

  it('leave the previous data of an account that could not be read intact', async () => {
    const broken = join(work, 'broken');
    cpSync(FIXTURE, broken, { recursive: true });
    writeFileSync(
      join(broken, 'aws', PROD, 'iam-get-account-authorization-details.json'),
      '{"UserDetailList": [',
    );
    const before = await snapshot(executor);
    const result = await syncAws(executor, { snapshotDir: broken });

    expect(result.load.status).toBe('succeeded');
    expect(result.summary.accounts).toContainEqual({ id: `aws:${PROD}`, complete: false });
    expect(
      result.issues.some(
        (i) =>
          i.severity === 'error' && i.source.includes(`aws/${PROD}/iam-get-account-authorization-details`),
      ),
    ).toBe(true);
    expect(result.load.cleanedScopes).not.toContain(`aws:${PROD}`);
    // Accounts with edges into the broken one are not cleaned either: those edges could not be re-derived.
    expect(result.protectedScopes).toContain('aws:111111111111');
    const after = await snapshot(executor);
    expect(before.nodes.filter((n) => !after.nodes.includes(n))).toEqual([]);
    expect(before.relationships.filter((r) => !after.relationships.includes(r))).toEqual([]);
    // And the answers about the broken account still come from its last good collection.
    expect(await graph.escalations({ account: PROD })).toEqual(await memory.escalations({ account: PROD }));
  });
});
