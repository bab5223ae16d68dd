import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/graph/loader.js';
import { parseInventoryText } from '../../src/model/validate.js';
import { formatPaths, namedQuery, type PathRow, runNamedQuery } from '../../src/queries/named-queries.js';
import { explainPlan, testExecutor, wipe } from '../helpers/graph.js';

const executor = testExecutor();

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
  await loadInventory(executor, parseInventoryText(text, 'sample'));
});
afterAll(() => executor.close());

describe('nhi-to-production on the sample estate', () => {
  it('finds exactly the non-human identities that reach production resources', async () => {
    const rows = (await runNamedQuery(executor, 'nhi-to-production')) as unknown as PathRow[];
    const pairs = rows.map((r) => `${r.identityName} -> ${r.resourceName}`).sort();
    expect(pairs).toEqual(
      [
        'backup-operator -> prod-orders',
        'billing-export -> prod-payments-bucket',
        'billing-export-role -> prod-payments-bucket',
        'ci-deploy -> prod-payments-bucket',
        'ci-deploy -> prod/db-password',
        'github acme/payments@main -> prod-orders',
        'github-actions-deploy -> prod-orders',
        'jenkins nightly-backup -> prod-orders',
        'prod-deploy -> prod-payments-bucket',
        'prod-deploy -> prod/db-password',
        'tooling-admin -> prod-payments-bucket',
        'tooling-admin -> prod/db-password',
      ].sort(),
    );
    // alice is human; staging-assets is not production.
    expect(pairs.some((p) => p.startsWith('alice') || p.endsWith('staging-assets'))).toBe(false);
  });

  it('explains every hop and marks a path conditional when any hop is', async () => {
    const rows = (await runNamedQuery(executor, 'nhi-to-production')) as unknown as PathRow[];
    const ci = rows.find((r) => r.identityName === 'ci-deploy' && r.resourceName === 'prod-payments-bucket');
    expect(ci?.names).toEqual(['ci-deploy', 'tooling-admin', 'prod-deploy', 'prod-payments-bucket']);
    expect(ci?.hops.map((h) => h.type)).toEqual(['CAN_ASSUME', 'CAN_ASSUME', 'CAN_ACCESS']);
    expect(ci?.hops.every((h) => (h.reason ?? '').length > 10)).toBe(true);
    expect(ci?.conditional).toBe(false);
    const jenkins = rows.find((r) => r.identityName === 'jenkins nightly-backup');
    expect(jenkins?.conditional).toBe(true);
    expect(formatPaths(jenkins ? [jenkins] : [])).toContain('[only if aws:SourceIp]');
  });

  it('plans as a stateful shortest path, not the all-pairs fallback', async () => {
    const plan = await explainPlan(namedQuery('nhi-to-production').text);
    expect(plan).toContain('StatefulShortestPath');
  });
});
