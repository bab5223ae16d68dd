import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { syncAws } from '../helpers/aws-sync.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';

// A degenerate required file must not pass for an empty account: after a good sync, a snapshot
// whose authorization details are `{}`, `"RoleDetailList": null` or another account's leaves the
// account's roles and every edge other scopes have into it in Neo4j.

const TARGET = '222222222222';
const OTHER = '111111111111';
const DETAILS = 'iam-get-account-authorization-details.json';

const executor: GraphExecutor = testExecutor();
const temporary: string[] = [];

interface Counts {
  roles: number;
  into: number;
}

async function counts(): Promise<Counts> {
  const [roles] = await executor.read<{ n: number }>(
    'MATCH (r:AwsRole {scope: $scope}) RETURN count(r) AS n',
    { scope: `aws:${TARGET}` },
  );
  const [into] = await executor.read<{ n: number }>(
    'MATCH (a:Entity)-[r]->(b:Entity {scope: $scope}) WHERE r.scope IS NOT NULL AND r.scope <> $scope RETURN count(r) AS n',
    { scope: `aws:${TARGET}` },
  );
  return { roles: Number(roles?.n), into: Number(into?.n) };
}

/** The fixture with the target account's authorization details replaced by `text`. */
async function withDetails(text: (fixture: string) => Promise<string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-degenerate-'));
  temporary.push(dir);
  await cp(MULTI_ACCOUNT, dir, { recursive: true });
  await writeFile(join(dir, 'aws', TARGET, DETAILS), await text(dir));
  return dir;
}

let before: Counts;

beforeAll(async () => {
  await wipe(executor);
  const first = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
  expect(first.load.status).toBe('succeeded');
  before = await counts();
  expect(before.roles).toBeGreaterThan(0);
  expect(before.into).toBeGreaterThan(0);
});
afterAll(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
  await executor.close();
});

describe('a degenerate authorization-details file after a good sync', () => {
  const cases: [string, (fixture: string) => Promise<string>][] = [
    ['{}', async () => '{}'],
    [
      '"RoleDetailList": null',
      async (fixture) => {
        const details = JSON.parse(await readFile(join(fixture, 'aws', TARGET, DETAILS), 'utf8'));
        details.RoleDetailList = null;
        return JSON.stringify(details);
      },
    ],
    ["another account's file", (fixture) => readFile(join(fixture, 'aws', OTHER, DETAILS), 'utf8')],
  ];

  for (const [name, text] of cases) {
    it(`${name}: the account is incomplete and keeps its roles and the edges into it`, async () => {
      const result = await syncAws(executor, { snapshotDir: await withDetails(text) });
      expect(result.load.status).toBe('succeeded');
      expect(result.scopes).toContainEqual({ id: `aws:${TARGET}`, complete: false });
      expect(
        result.issues.some((i) => i.severity === 'error' && i.source === `aws/${TARGET}/${DETAILS}`),
      ).toBe(true);
      expect(await counts()).toEqual(before);
    });
  }
});
