import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, seedAccount } from '../../bench/seed-moto.js';
import { toSnapshotRaw } from '../../bench/synthetic-aws.js';
import { DENSE_REGION, denseAwsEnvironment } from '../../bench/synthetic-aws-dense.js';
import { analyzeAws } from '../../src/analyzers/aws-iam/analyze.js';
import { collectAws } from '../../src/collectors/aws/collect.js';
import { writeAwsSnapshot } from '../../src/collectors/aws/snapshot.js';
import type { AwsAccountData, AwsEnvironment } from '../../src/model/aws/environment.js';
import { type MotoServer, startMoto } from '../setup/moto.js';

// The dense benchmark account (bench/synthetic-aws-dense.ts), small, seeded into moto and collected
// live, against the same account written as a snapshot and read back: the benchmarks compare the
// two, so they must be one environment and give one set of edges.

let moto: MotoServer;
let snapshotDir: string;
let generated: AwsEnvironment;
let live: AwsEnvironment;
let fromSnapshot: AwsEnvironment;

beforeAll(async () => {
  generated = denseAwsEnvironment({ roles: 20, seed: 7 });
  moto = await startMoto((message) => console.log(`[moto] ${message}`));
  await seedAccount(moto.endpoint, generated.accounts[0] as AwsAccountData, 8);
  live = await collectAws({
    live: { endpoint: moto.endpoint, region: DENSE_REGION, credentials: MOTO_CREDENTIALS },
  });
  snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-dense-snapshot-'));
  await writeAwsSnapshot(toSnapshotRaw(generated, DENSE_REGION), snapshotDir);
  fromSnapshot = await collectAws({ snapshotDir });
}, 180_000);

afterAll(async () => {
  await moto?.stop();
  if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
});

/**
 * What moto assigns itself (ids, creation times, key ids) left out; lists whose order is the order
 * calls happened to finish in (principals, policies, buckets, attachments) sorted.
 */
function comparable(environment: AwsEnvironment): unknown {
  const assigned = new Set(['uniqueId', 'createDate', 'accessKeyId']);
  const unordered = new Set(['attachedPolicyArns', 'groupArns']);
  const arn = (item: unknown) => (item as { arn?: unknown } | null)?.arn;
  return JSON.parse(
    JSON.stringify(environment, (key, value) => {
      if (assigned.has(key)) return undefined;
      if (unordered.has(key) && Array.isArray(value)) return [...value].sort();
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof arn(v) === 'string'))
        return [...value].sort((a, b) => String(arn(a)).localeCompare(String(arn(b))));
      return value;
    }),
  );
}

/** Every derived edge as type, endpoints, technique and whether it is conditional. */
async function edges(environment: AwsEnvironment): Promise<string[]> {
  const { edges: all } = await analyzeAws(environment, { grantHubs: false });
  return all
    .map((e) =>
      [e.type, e.from, e.to, e.properties.technique ?? '', e.properties.conditional ?? ''].join(' '),
    )
    .sort();
}

describe('the dense benchmark account, live from moto and from its snapshot', () => {
  it('is one environment', () => {
    const account = live.accounts[0] as AwsAccountData;
    expect(account.roles).toHaveLength(20);
    expect(account.resources.length).toBeGreaterThan(0);
    expect(comparable(fromSnapshot)).toEqual(comparable(live));
  });

  it('gives the same edges, escalations through services it does not use included', async () => {
    const fromLive = await edges(live);
    expect(fromLive.some((e) => e.startsWith('CAN_ESCALATE'))).toBe(true);
    expect(await edges(fromSnapshot)).toEqual(fromLive);
  });

  it('refuses to seed a user boundary, which moto would silently drop', async () => {
    const account = structuredClone(generated.accounts[0] as AwsAccountData);
    const user = account.users[0] as AwsAccountData['users'][number];
    user.permissionsBoundaryArn = account.managedPolicies[0]?.arn as string;
    await expect(seedAccount(moto.endpoint, account, 1)).rejects.toThrow(
      `moto cannot hold the permissions boundary of user ${user.arn}`,
    );
  });
});
