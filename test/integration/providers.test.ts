import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerJob, syncProviders } from '../../src/pipeline/sync.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { snapshot, testExecutor, wipe } from '../helpers/graph.js';
import { identityId, type LedgerEnvironment, ledgerProvider, resourceId } from '../helpers/test-provider.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';

// Two providers in one collection run: AWS (the multi-account fixture) and a tiny in-memory
// provider. Each provider's scopes are loaded in the same run, and each is cleaned (or kept) on
// its own completeness only.

const executor = testExecutor();
const ledger = ledgerProvider();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-providers-'));
const PROD = '222222222222';
const LEDGER = 'custom:ledger';

const full: LedgerEnvironment = {
  system: 'ledger',
  identities: ['ci', 'ops'],
  resources: ['db', 'logs'],
  grants: [
    ['ci', 'db'],
    ['ops', 'logs'],
  ],
};

const run = (awsDir: string, env: LedgerEnvironment) =>
  syncProviders(executor, [
    providerJob(awsProvider, { source: { snapshotDir: awsDir } }),
    providerJob(ledger, env),
  ]);

const ledgerPart = (s: { nodes: string[]; relationships: string[] }) => ({
  nodes: s.nodes.filter((n) => n.includes('custom:ledger:')),
  relationships: s.relationships.filter((r) => r.includes('custom:ledger:')),
});
const awsPart = (s: { nodes: string[]; relationships: string[] }) => ({
  nodes: s.nodes.filter((n) => !n.includes('custom:ledger:')),
  relationships: s.relationships.filter((r) => !r.includes('custom:ledger:')),
});

let broken: string;
beforeAll(async () => {
  await wipe(executor);
  broken = join(work, 'broken');
  cpSync(MULTI_ACCOUNT, broken, { recursive: true });
  writeFileSync(
    join(broken, 'aws', PROD, 'iam-get-account-authorization-details.json'),
    '{"UserDetailList": [',
  );
});
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('one run of AWS and a second provider', () => {
  it('loads both providers’ scopes in one run', async () => {
    const result = await run(MULTI_ACCOUNT, full);
    expect(result.load.status).toBe('succeeded');
    expect(result.outcomes.map((o) => o.provider.name)).toEqual(['aws', 'ledger']);
    expect(result.load.cleanedScopes).toContain(LEDGER);
    expect(result.load.cleanedScopes).toContain(`aws:${PROD}`);
    const graph = await snapshot(executor);
    expect(ledgerPart(graph).relationships).toEqual(
      [
        `${identityId('ledger', 'ci')} -CAN_ACCESS-> ${resourceId('ledger', 'db')}`,
        `${identityId('ledger', 'ops')} -CAN_ACCESS-> ${resourceId('ledger', 'logs')}`,
      ].sort(),
    );
    expect(graph.nodes).toContain(`AwsAccount aws:account:${PROD}`);
    const runs = await executor.read<{ sources: string[] }>(
      'MATCH (r:CollectionRun {id: $id}) RETURN r.sources AS sources',
      { id: result.load.runId },
    );
    expect(runs[0]?.sources).toEqual([`aws snapshot ${MULTI_ACCOUNT}`, 'ledger memory ledger']);
  });

  it('cleans the second provider’s scope without touching AWS', async () => {
    const before = awsPart(await snapshot(executor));
    const result = await run(MULTI_ACCOUNT, {
      ...full,
      identities: ['ci'],
      resources: ['db'],
      grants: [['ci', 'db']],
    });
    const after = await snapshot(executor);
    expect(ledgerPart(after).nodes).toEqual(
      [`CustomIdentity ${identityId('ledger', 'ci')}`, `CustomResource ${resourceId('ledger', 'db')}`].sort(),
    );
    expect(result.load.deleted).toMatchObject({ CustomIdentity: 1, CustomResource: 1, CAN_ACCESS: 1 });
    expect(awsPart(after)).toEqual(before);
  });

  it('keeps an AWS account that could not be read, while the second provider is still cleaned', async () => {
    const before = awsPart(await snapshot(executor));
    const result = await run(broken, { ...full, identities: ['ci'], resources: ['db'], grants: [] });
    expect(result.load.cleanedScopes).toContain(LEDGER);
    expect(result.load.cleanedScopes).not.toContain(`aws:${PROD}`);
    expect(result.scopes).toContainEqual({ id: `aws:${PROD}`, complete: false });
    expect(result.scopes).toContainEqual({ id: LEDGER, complete: true });
    const after = await snapshot(executor);
    expect(ledgerPart(after).relationships).toEqual([]);
    expect(before.nodes.filter((n) => !after.nodes.includes(n))).toEqual([]);
  });

  it('keeps the second provider’s data when it could not be read, while AWS is cleaned', async () => {
    const before = ledgerPart(await snapshot(executor));
    const result = await run(MULTI_ACCOUNT, {
      ...full,
      identities: [],
      resources: [],
      grants: [],
      broken: true,
    });
    expect(result.load.status).toBe('succeeded');
    expect(result.load.cleanedScopes).not.toContain(LEDGER);
    expect(result.load.cleanedScopes).toContain(`aws:${PROD}`);
    expect(result.issues).toContainEqual({
      severity: 'error',
      source: 'ledger/ledger',
      message: 'could not be read',
    });
    expect(ledgerPart(await snapshot(executor))).toEqual(before);
  });
});
